using System.Security.Cryptography;
using System.Text.Json;
using DurablePipelines.Records;

namespace DurablePipelines.LocalHost.Tests.Commands;

/// <summary>Every example pipeline runs with its sample input, on every in-process runner, and does its job.</summary>
public class ExamplePipelineTests
{
    [Theory]
    [InlineData("eager")]
    [InlineData("parallel")]
    public async Task Hello_SampleInput_EchoesInputAndConfig(string runner)
    {
        var execution = await RunExampleAsync("hello", runner);

        var say = execution.PipelineResults[0].TaskExecutions[0].TaskResults[0].Output!;
        Assert.Equal("hi", say["input"]!["greeting"]!.GetValue<string>());
        Assert.Equal("hello, pipelines", say["config"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("eager")]
    [InlineData("parallel")]
    public async Task FileChecksums_SampleInput_OneChecksumPerListedFile(string runner)
    {
        // The sample input names the folder "pipelines", relative to the working directory, as from the repo root.
        var folder = Path.GetFullPath("pipelines");
        Assert.True(Directory.Exists(folder), $"tests run where the examples were copied: {folder}");

        var execution = await RunExampleAsync("file-checksums", runner);

        var tasks = execution.PipelineResults[0].TaskExecutions;
        var listed = tasks[0].TaskResults[0].Output!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        var expected = Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected, listed);
        Assert.Contains("inputs/file-checksums.json", listed);

        var checksums = tasks[1].TaskResults;
        Assert.Equal(listed.Count, checksums.Count);
        Assert.All(checksums, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        foreach (var result in checksums)
        {
            var path = result.Output!["path"]!.GetValue<string>();
            var bytes = File.ReadAllBytes(Path.Combine(folder, path));
            Assert.Equal(bytes.Length, result.Output["bytes"]!.GetValue<long>());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), result.Output["sha256"]!.GetValue<string>());
        }

        var summary = tasks[2].TaskResults[0].Output!;
        Assert.Equal(listed.Count, summary["count"]!.GetValue<int>());
        Assert.Equal(checksums.Sum(r => r.Output!["bytes"]!.GetValue<long>()), summary["totalBytes"]!.GetValue<long>());
        Assert.Equal(listed, summary["files"]!.AsArray().Select(f => f!["path"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("eager")]
    [InlineData("parallel")]
    public async Task RegionsNightly_SampleInput_EveryRegionPricedAndLoaded(string runner)
    {
        var input = JsonDocument.Parse(File.ReadAllText(Path.Combine(Cli.Pipelines, "inputs", "regions-nightly.json"))).RootElement;
        var regions = input.GetProperty("regions").EnumerateArray().Select(r => r.GetString()!).ToList();

        var execution = await RunExampleAsync("regions-nightly", runner);

        Assert.Equal($"nightly-{input.GetProperty("date").GetString()}", execution.RunId);
        Assert.Equal(regions, execution.PipelineResults.Select(r => r.Item!.GetValue<string>()));
        foreach (var result in execution.PipelineResults)
        {
            Assert.Equal(RunStatus.Succeeded, result.Status);
            var orders = result.TaskExecutions[0].TaskResults[0].Output!["orders"]!.AsArray();
            var prices = result.TaskExecutions[1].TaskResults;
            Assert.Equal(orders.Count, prices.Count);
            Assert.All(prices, p => Assert.Equal(
                Math.Round(p.Output!["amount"]!.GetValue<decimal>() * 1.1m, 2, MidpointRounding.AwayFromZero),
                p.Output["price"]!.GetValue<decimal>()));
            var load = result.TaskExecutions[2];
            Assert.Equal("warehouse", load.Metadata!["target"]!.GetValue<string>());
            Assert.Equal(orders.Count, load.TaskResults[0].Output!["count"]!.GetValue<int>());
        }
    }

    // The approval gate waits for the "release" event, raised here as the run starts; the checksums tolerate failures.
    [Theory]
    [InlineData("eager")]
    [InlineData("parallel")]
    [InlineData("durable")]
    public async Task ReleaseApproval_EventRaisedAtStart_GateOutputsItAndTheSummaryCountsEveryChecksum(string runner)
    {
        var execution = await RunExampleAsync("release-approval", runner, "--event", """release={ "approved": true, "by": "ci" }""");

        var tasks = execution.PipelineResults[0].TaskExecutions;
        Assert.Equal(["list", "checksum", "approve", "summarize"], tasks.Select(t => t.Task));
        Assert.Equal("ci", tasks[2].TaskResults[0].Output!["by"]!.GetValue<string>());
        var checksums = tasks[1].TaskResults.Count(r => r.Status == RunStatus.Succeeded);
        Assert.Equal(checksums + 1, tasks[3].TaskResults[0].Output!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Run_BadEvent_RefusedWithTheReason()
    {
        var result = await Cli.RunAsync("run", "hello", "--pipelines", Cli.Pipelines, "--event", "release={ nope");

        Assert.Equal(2, result.Exit);
        Assert.StartsWith("--event 'release': the body is not valid JSON", result.ErrorLines[0], StringComparison.Ordinal);
    }

    private static async Task<PipelineExecution> RunExampleAsync(string name, string runner, params string[] extra)
    {
        var input = Path.Combine(Cli.Pipelines, "inputs", $"{name}.json");
        var result = await Cli.RunAsync(["run", name, "--pipelines", Cli.Pipelines, "--input", "@" + input, "--runner", runner, "--output", "json", .. extra]);
        Assert.True(result.Exit == 0, result.ToString());
        var execution = JsonSerializer.Deserialize<PipelineExecution>(result.Out, PipelineJson.Options)!;
        Assert.Equal(RunStatus.Succeeded, execution.Status);
        Assert.Equal(runner, execution.Runner);
        return execution;
    }
}
