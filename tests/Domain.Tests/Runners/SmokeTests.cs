using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Runners;

public class SmokeTests
{
    [Theory]
    [InlineData("eager")]
    [InlineData("parallel")]
    public async Task RunAsync_FanOutFanIn_Succeeds(string runner)
    {
        using var sp = new ServiceCollection().AddLogging().AddDurablePipelines().BuildServiceProvider();
        var definition = new PipelineBuilder("smoke")
            .Task("list", "echo")
            .Task("each", "echo", t => t.After("list").ForEach("input.files").MaxConcurrency(3))
            .Task("report", "echo", t => t.After("each"))
            .Build();
        var run = new RunPipelineInput { RunId = "r1", Definition = definition, Input = new JsonObject { ["files"] = new JsonArray("a", "b", "c", "d") } };
        var execution = await sp.GetRequiredService<PipelineRunnerRegistry>().Get(runner).RunAsync(run, NullReporter.Instance, CancellationToken.None);
        Assert.Equal(RunStatus.Succeeded, execution.Status);
        var report = execution.PipelineResults[0].TaskExecutions[2].TaskResults[0].Output!;
        Assert.Equal(4, report["parents"]!["each"]!.AsArray().Count);
    }
}
