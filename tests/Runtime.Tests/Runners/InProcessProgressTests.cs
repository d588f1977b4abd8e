using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Runners;

public class InProcessProgressTests
{
    // Progress is reported once per scheduling step, however many changes the step made: every task is seen
    // running while its results run, and the last snapshot of the run shows where it ended.
    [Theory]
    [InlineData("eager")]
    [InlineData("parallel")]
    public async Task RunAsync_ChainAndFanOut_ShowsEachTaskRunningAndEndsWithFinalCounts(string runner)
    {
        using var sp = new ServiceCollection().AddLogging().AddDurablePipelines().BuildServiceProvider();
        var definition = new PipelineBuilder("progress")
            .Task("first", "sleep", t => t.Config(new JsonObject { ["ms"] = 20 }))
            .Task("each", "sleep", t => t.ForEach("input.items").Config(new JsonObject { ["ms"] = 20 }))
            .Task("last", "echo")
            .Build();
        var recorder = new RecordingReporter();
        var run = new RunPipelineInput { RunId = "p1", Definition = definition, Input = new JsonObject { ["items"] = new JsonArray(1, 2, 3) } };

        var execution = await sp.GetRequiredService<PipelineRunnerRegistry>().Get(runner).RunAsync(run, recorder, CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, execution.Status);
        var snapshots = recorder.Progresses.ToList();
        foreach (var task in new[] { "first", "each", "last" })
        {
            Assert.Contains(snapshots, s => s.RunningTasks.SequenceEqual([task]) && s.Results.Running > 0);
        }

        var final = snapshots[^1];
        Assert.Equal(RunStatus.Succeeded, final.Status);
        Assert.Equal(new StatusCounts(0, 0, 3, 0, 0), final.Tasks);
        Assert.Equal(new StatusCounts(0, 0, 5, 0, 0), final.Results);
        Assert.Empty(final.RunningTasks);
    }
}
