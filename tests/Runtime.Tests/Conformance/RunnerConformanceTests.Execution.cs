using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Conformance;

/// <summary>
/// Per-task execution (docs/definition.md, Execution): the rules hold whatever the execution of each task, on every
/// runner. The <c>process</c> execution needs a host program to start, and is shown where one is:
/// <c>tests/LocalHost.Tests/Execution/ProcessExecutionTests.cs</c>.
/// </summary>
public abstract partial class RunnerConformanceTests
{
    [Fact]
    public async Task Execution_MixedInOneDiamond_RunsAsItWouldAllAsync()
    {
        var definition = new PipelineBuilder("mixed")
            .Execution(Executions.Thread)
            .Task("a", "echo", t => t.Config(new JsonObject { ["step"] = "a" }))
            .Task("b", "echo", t => t.After("a").Execution(Executions.Main))
            .Task("c", "echo", t => t.After("a").ForEach("input.items").Execution(Executions.Async))
            .Task("d", "echo", t => t.After("b", "c"))
            .Build();

        var run = await RunAsync(definition, new JsonObject { ["items"] = new JsonArray(1, 2, 3) });

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var result = Assert.Single(run.PipelineResults);
        var d = RecordAssert.Task(result, "d").TaskResults[0].Output!;
        Assert.Equal("a", d["parents"]!["b"]!["parents"]!["a"]!["config"]!["step"]!.GetValue<string>());
        Assert.Equal(3, d["parents"]!["c"]!.AsArray().Count);
    }

    // A 'main' result executes alone: no other result of its run executes while it does.
    [Fact]
    public async Task Execution_Main_NoOtherResultOfTheRunExecutesMeanwhile()
    {
        var definition = new PipelineBuilder("main-alone")
            .Task("each", "sleep", t => t.After().ForEach("input.items").Config(Sleep(LongTaskMs / 4)).Execution(Executions.Thread))
            .Task("solo", "sleep", t => t.After().Config(Sleep(LongTaskMs / 2)).Execution(Executions.Main))
            .Build();

        var run = await RunAsync(definition, new JsonObject { ["items"] = new JsonArray(1, 2, 3, 4, 5, 6) });

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var result = Assert.Single(run.PipelineResults);
        var solo = RecordAssert.Task(result, "solo").TaskResults[0];
        Assert.All(RecordAssert.Task(result, "each").TaskResults, r => Assert.True(
            r.FinishedAt <= solo.StartedAt || r.StartedAt >= solo.FinishedAt,
            $"each[{r.Index}] ran {r.StartedAt:O}..{r.FinishedAt:O}, within solo's {solo.StartedAt:O}..{solo.FinishedAt:O}"));
    }

    // A 'thread' handler that ignores its token is abandoned at its timeout, as an 'async' one is: its thread runs on.
    [Fact]
    public async Task Execution_ThreadHandlerIgnoringItsToken_IsAbandonedAndRecordedAsTimedOut()
    {
        var definition = new PipelineBuilder("thread-abandoned")
            .Task("stuck", "sleep", t => t.Config(new JsonObject { ["ms"] = 5000, ["ignoreCancellation"] = true, ["blocking"] = true })
                .Execution(Executions.Thread).Timeout(TimeSpan.FromMilliseconds(200)))
            .Build();

        var run = await RunAsync(definition);

        var result = RecordAssert.Task(Assert.Single(run.PipelineResults), "stuck").TaskResults[0];
        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal("timed out after 00:00:00.2000000 (the handler ignored its cancellation token and was abandoned)", result.Error!.Message);
    }
}
