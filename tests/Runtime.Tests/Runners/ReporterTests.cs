using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Runners;

public sealed class ReporterTests
{
    [Theory]
    [InlineData("eager")]
    [InlineData("parallel")]
    public async Task RunAsync_Reporter_GetsEveryStateChangeProgressAfterEachStepAndOneFinished(string runner)
    {
        using var services = new ServiceCollection().AddLogging().AddDurablePipelines().BuildServiceProvider();
        var reporter = new RecordingReporter();
        var definition = new PipelineBuilder("report")
            .Task("each", "fail", t => t.ForEach("input.items").Config(new JsonObject { ["items"] = new JsonArray(2) }).Retry(2))
            .Task("after", "echo")
            .Build();
        var run = new RunPipelineInput { RunId = "r", Definition = definition, Input = new JsonObject { ["items"] = new JsonArray(1, 2, 3) } };

        var execution = await services.GetRequiredService<PipelineRunnerRegistry>().Get(runner).RunAsync(run, reporter, CancellationToken.None);

        var finished = Assert.Single(reporter.Finishes);
        Assert.Same(execution, finished);
        var changes = reporter.Changes.ToList();
        Assert.Equal(StateAction.Started, changes[0].Action);
        Assert.Null(changes[0].PipelineResult);
        Assert.Equal(StateAction.Failed, changes[^1].Action);
        Assert.Contains(changes, c => c.Task == "each" && c.TaskResult == 1 && c.Attempt == 1 && c.Action == StateAction.Retrying);
        Assert.Contains(changes, c => c.Task == "each" && c.TaskResult == 1 && c.Attempt == 2 && c.Action == StateAction.Failed && c.Error!.Message.Contains("failed on purpose", StringComparison.Ordinal));
        Assert.Contains(changes, c => c.Task == "after" && c.TaskResult is null && c.Action == StateAction.Cancelled);
        var last = reporter.Progresses.Last();
        Assert.Equal(new StatusCounts(0, 0, 0, 1, 1), last.Tasks);
        Assert.Equal(RunStatus.Failed, last.Status);
        Assert.Contains(last.Failures, f => f.StartsWith("each[1]: ", StringComparison.Ordinal));
        Assert.Contains(reporter.Progresses, p => p.Status == RunStatus.Running && p.Results.Running > 0);
    }
}
