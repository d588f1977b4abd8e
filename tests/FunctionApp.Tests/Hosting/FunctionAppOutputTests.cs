using System.Reflection;
using System.Text.Json.Nodes;

namespace DurablePipelines.FunctionApp.Tests.Hosting;

/// <summary>
/// What the Functions host reads from the app's build output (the folder <c>func start</c> runs in and
/// <c>azd deploy</c> publishes): the function index the worker SDK generates, the host's settings, the host-side
/// extensions and the worker's launch file.
/// </summary>
public sealed class FunctionAppOutputTests
{
    private static readonly string s_output = typeof(FunctionAppOutputTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FunctionAppOutput").Value!;

    [Fact]
    public void FunctionsMetadata_ListsThe23FunctionsWithTheirTriggers()
    {
        var functions = Read("functions.metadata").AsArray()
            .ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!["bindings"]!.AsArray().Select(b => b!["type"]!.GetValue<string>()).First());

        Assert.Equal(
            new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["StartPipelineHttp"] = "httpTrigger",
                ["GetRun"] = "httpTrigger",
                ["ListRuns"] = "httpTrigger",
                ["CancelRun"] = "httpTrigger",
                ["SuspendRun"] = "httpTrigger",
                ["ResumeRun"] = "httpTrigger",
                ["RaiseRunEvent"] = "httpTrigger",
                ["RerunRun"] = "httpTrigger",
                ["RepairResult"] = "httpTrigger",
                ["GetRunLog"] = "httpTrigger",
                ["ListPipelines"] = "httpTrigger",
                ["GetPipeline"] = "httpTrigger",
                ["Dashboard"] = "httpTrigger",
                ["StartPipelineQueue"] = "queueTrigger",
                ["RunPipeline"] = "orchestrationTrigger",
                ["RunPipelineItem"] = "orchestrationTrigger",
                ["RunTaskChunk"] = "orchestrationTrigger",
                ["RunTaskResult"] = "activityTrigger",
                ["ResolveIterator"] = "activityTrigger",
                ["StorePayload"] = "activityTrigger",
                ["MarkRunStarted"] = "activityTrigger",
                ["SaveRunRecord"] = "activityTrigger",
                ["AppendRunLog"] = "activityTrigger",
            },
            new SortedDictionary<string, string>(functions, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("SuspendRun", "runs/{runId}/suspend")]
    [InlineData("ResumeRun", "runs/{runId}/resume")]
    [InlineData("CancelRun", "runs/{runId}/cancel")]
    [InlineData("RaiseRunEvent", "runs/{runId}/events/{name}")]
    [InlineData("RepairResult", "runs/{runId}/results/{pipelineResult}/{task}/{taskResult}/{action}")]
    public void FunctionsMetadata_OperatorRoutesArePostsOnTheRun(string function, string route)
    {
        var trigger = Read("functions.metadata").AsArray().Single(f => f!["name"]!.GetValue<string>() == function)!["bindings"]!.AsArray()
            .Single(b => b!["type"]!.GetValue<string>() == "httpTrigger")!;

        Assert.Equal(route, trigger["route"]!.GetValue<string>());
        Assert.Equal(["post"], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public void FunctionsMetadata_QueueStartReadsPipelineStartsAndPoisonsToItsPoisonQueue()
    {
        var queue = Read("functions.metadata").AsArray().Single(f => f!["name"]!.GetValue<string>() == "StartPipelineQueue")!["bindings"]!.AsArray();

        Assert.Equal("pipeline-starts", queue.Single(b => b!["type"]!.GetValue<string>() == "queueTrigger")!["queueName"]!.GetValue<string>());
        Assert.Equal("pipeline-starts-poison", queue.Single(b => b!["type"]!.GetValue<string>() == "queue")!["queueName"]!.GetValue<string>());
    }

    [Fact]
    public void Output_HasTheHostSettingsExtensionsAndWorkerLaunchFile()
    {
        Assert.Equal("DurablePipelines", Read("host.json")["extensions"]!["durableTask"]!["hubName"]!.GetValue<string>());
        var extensions = Read("extensions.json")["extensions"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("DurableTask", extensions);
        Assert.Contains("AzureStorageQueues", extensions);
        Assert.True(File.Exists(Path.Combine(s_output, ".azurefunctions", "Microsoft.Azure.WebJobs.Extensions.DurableTask.dll")), "the host-side Durable extension is in .azurefunctions/");
        Assert.Equal("DurablePipelines.FunctionApp.dll", Read("worker.config.json")["description"]!["defaultWorkerPath"]!.GetValue<string>());
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(s_output, "pipelines"), "*.json"));
    }

    private static JsonNode Read(string file)
    {
        var path = Path.Combine(s_output, file);
        Assert.True(File.Exists(path), $"{path} is missing: build src/FunctionApp");
        return JsonNode.Parse(File.ReadAllText(path))!;
    }
}
