using System.Text.Json.Nodes;
using DurablePipelines.Catalog;
using DurablePipelines.Examples.Hosting;
using DurablePipelines.FunctionApp.Hosting;
using DurablePipelines.Handlers;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DurablePipelines.FunctionApp.Tests.Hosting;

/// <summary>
/// The Function App's container, registered as Program.cs does (without the Functions host, which cannot run here),
/// over the pipelines the build copies next to the app: every shipped example must load and find its handlers.
/// </summary>
public sealed class FunctionAppServiceCollectionExtensionsTests : IDisposable
{
    private static readonly string s_shipped = Path.Combine(AppContext.BaseDirectory, "pipelines");

    private readonly ServiceProvider _services = BuildAsProgram();

    [Fact]
    public void AddDurablePipelinesFunctionApp_ShippedPipelines_EveryOneLoadsWithoutProblems()
    {
        var files = Directory.GetFiles(s_shipped, "*.json");
        Assert.NotEmpty(files);

        var catalog = _services.GetRequiredService<PipelineCatalog>();

        Assert.True(catalog.Problems.Count == 0, string.Join("\n", catalog.Problems.Select(p => $"{p.File}: {string.Join("; ", p.Errors.Select(e => $"{e.Path}: {e.Message}"))}")));
        Assert.Equal(files.Length, catalog.Pipelines.Count);
    }

    [Fact]
    public void AddDurablePipelinesFunctionApp_ShippedPipelines_EveryHandlerTheyNameRegistered()
    {
        var registry = _services.GetRequiredService<HandlerRegistry>();

        // Read from the files themselves, so a pipeline the validator refused is still checked.
        var missing = Directory.GetFiles(s_shipped, "*.json")
            .SelectMany(file => JsonNode.Parse(File.ReadAllText(file))!["tasks"]!.AsArray()
                .Select(task => task!["handler"]!.GetValue<string>())
                .Where(handler => !registry.IsTask(handler))
                .Select(handler => $"{Path.GetFileName(file)}: {handler}"))
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void AddDurablePipelinesFunctionApp_ExampleFileTasks_ResolveAgainstTheAppFolder()
    {
        Assert.Equal(AppContext.BaseDirectory, _services.GetRequiredService<IOptions<ExampleTaskOptions>>().Value.BaseFolder);
    }

    [Fact]
    public async Task FileChecksums_SampleInput_ChecksumsTheAppsCopyOfTheExamples()
    {
        // pipelines/inputs/file-checksums.json names the folder "pipelines": on the Function App, the copy of the
        // examples next to the app. Run here in process with the app's handlers; on Azure the same handlers run in
        // activities of the same container.
        var input = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sample-inputs", "file-checksums.json")));
        var definition = _services.GetRequiredService<PipelineCatalog>().Find("file-checksums")!;
        var run = new RunPipelineInput { RunId = "fc1", Definition = definition, Input = input };

        var execution = await _services.GetRequiredService<PipelineRunnerRegistry>().Get("eager").RunAsync(run, NullReporter.Instance, CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, execution.Status);
        var expected = Directory.GetFiles(s_shipped, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        var checksums = execution.PipelineResults[0].TaskExecutions[1].TaskResults;
        Assert.Equal(expected, checksums.Select(r => r.Output!["path"]!.GetValue<string>()));
    }

    public void Dispose() => _services.Dispose();

    /// <summary>Program.cs's registrations, in its order, over configuration with no settings but the storage account.</summary>
    private static ServiceProvider BuildAsProgram()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" })
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddDurablePipelinesFunctionApp(configuration);
        return services.BuildServiceProvider();
    }
}
