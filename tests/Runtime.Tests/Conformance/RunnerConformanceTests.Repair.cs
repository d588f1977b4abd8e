using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Conformance;

/// <summary>
/// Operator repair (docs/rules.md, Operator repair): a result whose last attempt failed waits for an operator, who
/// retries, skips or fails it; on every runner, with handler-call counts where a retry is claimed.
/// </summary>
public abstract partial class RunnerConformanceTests
{
    private static RepairMessage Repair(string task, int taskResult, RepairAction action, int pipelineResult = 0) =>
        new() { PipelineResult = pipelineResult, Task = task, TaskResult = taskResult, Action = action, By = "ann" };

    private static JsonObject Items(params int[] items) => new() { ["items"] = new JsonArray([.. items.Select(i => (JsonNode)i)]) };

    // The fix lands while the result waits: the operator's retry runs it again, with the task's retries, and the
    // task and its child go on as if it had not failed.
    [Fact]
    public async Task Repair_RetryAfterTheFix_RunsTheResultAgain_AndTheRunSucceeds()
    {
        var key = Guid.NewGuid().ToString("N");
        var definition = new PipelineBuilder("repair-retry")
            .Task("each", CountingTask.Name, t => t.ForEach("input.items").Config(CountingTask.Config(key)).Retry(2).Repair())
            .Task("after", CountingTask.Name, t => t.After("each").Config(CountingTask.Config(key)))
            .Build();
        CountingTask.Break(key, 2);
        var (runId, completion) = StartRun(definition, Items(1, 2, 3), new OrchestrationSettings(), CancellationToken.None);

        var progress = await WaitForProgressAsync(runId, completion, p => p.WaitingCount == 1);
        var waiting = Assert.Single(progress.Waiting);
        Assert.Equal((0, "each", 1, 2), (waiting.PipelineResult, waiting.Task, waiting.TaskResult, waiting.Attempts));
        Assert.Equal("'each' is broken for this item", waiting.Error!.Message);
        Assert.Null(waiting.Until);
        Assert.Equal(2, CountingTask.Calls(key, "each", null, 2));
        CountingTask.Mend(key);
        await RepairAsync(runId, Repair("each", 1, RepairAction.Retry));
        var run = await completion.WaitAsync(s_progressTimeout);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var result = RecordAssert.Task(Assert.Single(run.PipelineResults), "each").TaskResults[1];
        Assert.Equal((RunStatus.Succeeded, 3), (result.Status, result.Attempts));
        Assert.Equal(3, CountingTask.Calls(key, "each", null, 2));
        Assert.Equal(1, CountingTask.Calls(key, "after", null, null));
        var action = Assert.Single(result.OperatorActions!);
        Assert.Equal((StateAction.RetriedByOperator, "ann", (int?)2), (action.Action, action.By, action.AfterAttempt));
        Assert.Null(RecordAssert.Task(run.PipelineResults[0], "each").TaskResults[0].OperatorActions);
        Assert.Equal(0, (await GetProgressAsync(runId))?.WaitingCount ?? 0);
    }

    // The operator's retry may change what the result runs with: here a config under which the handler succeeds.
    [Fact]
    public async Task Repair_RetryWithAnEditedConfig_RunsTheNextAttemptWithIt()
    {
        var definition = new PipelineBuilder("repair-config")
            .Task("flaky", "fail", t => t.Config(new JsonObject { ["message"] = "the feed is late" }).Repair())
            .Build();
        var (runId, completion) = StartRun(definition, null, new OrchestrationSettings(), CancellationToken.None);

        await WaitForProgressAsync(runId, completion, p => p.WaitingCount == 1);
        await RepairAsync(runId, Repair("flaky", 0, RepairAction.Retry) with { Config = new JsonObject { ["times"] = 1 } });
        var run = await completion.WaitAsync(s_progressTimeout);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var result = RecordAssert.Task(Assert.Single(run.PipelineResults), "flaky").TaskResults[0];
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, result.Output!["attempt"]!.GetValue<int>());
    }

    // A skip ends the result as succeeded with the operator's output, which its task's children see.
    [Fact]
    public async Task Repair_Skip_SucceedsWithTheGivenOutput_ChildrenSeeIt()
    {
        var key = Guid.NewGuid().ToString("N");
        var definition = new PipelineBuilder("repair-skip")
            .Task("each", CountingTask.Name, t => t.ForEach("input.items").Config(CountingTask.Config(key)).Repair())
            .Task("after", CountingTask.Name, t => t.After("each").Config(CountingTask.Config(key)))
            .Build();
        CountingTask.Break(key, 1);
        var (runId, completion) = StartRun(definition, Items(1, 2), new OrchestrationSettings(), CancellationToken.None);

        await WaitForProgressAsync(runId, completion, p => p.WaitingCount == 1);
        await RepairAsync(runId, Repair("each", 0, RepairAction.Skip) with { Output = new JsonObject { ["skipped"] = true } });
        var run = await completion.WaitAsync(s_progressTimeout);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var result = Assert.Single(run.PipelineResults);
        var skipped = RecordAssert.Task(result, "each").TaskResults[0];
        Assert.Equal((RunStatus.Succeeded, 1, true), (skipped.Status, skipped.Attempts, skipped.Output!["skipped"]!.GetValue<bool>()));
        Assert.Equal(StateAction.SkippedByOperator, Assert.Single(skipped.OperatorActions!).Action);
        Assert.Equal(1, CountingTask.Calls(key, "each", null, 1));
        var seen = RecordAssert.Task(result, "after").TaskResults[0].Output!["parents"]!["each"]!.AsArray();
        Assert.True(seen[0]!["skipped"]!.GetValue<bool>());
    }

    // A fail ends the result as it would have ended without repair: failed with its error, the task failed (rule 4).
    [Fact]
    public async Task Repair_Fail_FailsTheResultWithItsError()
    {
        var key = Guid.NewGuid().ToString("N");
        var definition = new PipelineBuilder("repair-fail")
            .Task("each", CountingTask.Name, t => t.ForEach("input.items").Config(CountingTask.Config(key)).Repair())
            .Task("after", CountingTask.Name, t => t.After("each").Config(CountingTask.Config(key)))
            .Build();
        CountingTask.Break(key, 2);
        var (runId, completion) = StartRun(definition, Items(1, 2), new OrchestrationSettings(), CancellationToken.None);

        await WaitForProgressAsync(runId, completion, p => p.WaitingCount == 1);
        await RepairAsync(runId, Repair("each", 1, RepairAction.Fail));
        var run = await completion.WaitAsync(s_progressTimeout);

        Assert.Equal(RunStatus.Failed, run.Status);
        var result = Assert.Single(run.PipelineResults);
        var failed = RecordAssert.Task(result, "each").TaskResults[1];
        Assert.Equal((RunStatus.Failed, "'each' is broken for this item"), (failed.Status, failed.Error!.Message));
        Assert.Equal(StateAction.FailedByOperator, Assert.Single(failed.OperatorActions!).Action);
        Assert.Equal(RunStatus.Cancelled, RecordAssert.Task(result, "after").Status);
    }

    // Nobody acts within the repair's timeout: the result fails as it would have, with no operator action recorded.
    [Fact]
    public async Task Repair_Timeout_FailsTheResultAsWithoutRepair()
    {
        var definition = new PipelineBuilder("repair-timeout")
            .Task("flaky", "fail", t => t.Config(new JsonObject { ["message"] = "the feed is late" }).Repair(TimeSpan.FromMilliseconds(300)))
            .Build();

        var run = await RunAsync(definition);

        Assert.Equal(RunStatus.Failed, run.Status);
        var result = RecordAssert.Task(Assert.Single(run.PipelineResults), "flaky").TaskResults[0];
        Assert.Equal((RunStatus.Failed, 1, "the feed is late"), (result.Status, result.Attempts, result.Error!.Message));
        Assert.Null(result.OperatorActions);
    }

    [Fact]
    public async Task Repair_CancelOfTheRun_EndsTheWait_TheResultFails()
    {
        var definition = new PipelineBuilder("repair-cancel")
            .Task("flaky", "fail", t => t.Config(new JsonObject { ["message"] = "the feed is late" }).Repair())
            .Build();
        using var cancel = new CancellationTokenSource();
        var (runId, completion) = StartRun(definition, null, new OrchestrationSettings(), cancel.Token);

        await WaitForProgressAsync(runId, completion, p => p.WaitingCount == 1);
        await cancel.CancelAsync();
        var run = await completion.WaitAsync(s_progressTimeout);

        Assert.Equal(RunStatus.Terminated, run.Status);
        var result = RecordAssert.Task(Assert.Single(run.PipelineResults), "flaky").TaskResults[0];
        Assert.Equal((RunStatus.Failed, "the feed is late"), (result.Status, result.Error!.Message));
    }

    // Results wait where they run: in a task chunk (a sub-orchestration of a large iterator) and in a pipeline
    // result of a pipeline iterator. The run lists them (at once, or one after the other on a runner that runs one
    // pipeline result at a time), and the operator's action reaches each.
    [Fact]
    public async Task Repair_ResultsOfChunksAndPipelineItems_AreListedByTheRunAndReached()
    {
        var key = Guid.NewGuid().ToString("N");
        var definition = new PipelineBuilder("repair-nested")
            .ForEach("input.regions")
            .Task("each", CountingTask.Name, t => t.ForEach("input.items").Config(CountingTask.Config(key)).Repair())
            .Build();
        CountingTask.Break(key, 4);
        var input = new JsonObject { ["regions"] = new JsonArray("eu", "us"), ["items"] = new JsonArray(1, 2, 3, 4, 5) };
        var (runId, completion) = StartRun(definition, input, new OrchestrationSettings { ChunkSize = 2 }, CancellationToken.None);

        var repaired = new List<int>();
        while (repaired.Count < 2)
        {
            var progress = await WaitForProgressAsync(runId, completion, p => p.Waiting.Any(w => !repaired.Contains(w.PipelineResult)));
            var waiting = progress.Waiting.First(w => !repaired.Contains(w.PipelineResult));
            Assert.Equal(("each", 3), (waiting.Task, waiting.TaskResult));
            repaired.Add(waiting.PipelineResult);
            await RepairAsync(runId, waiting.PipelineResult == 0
                ? Repair("each", 3, RepairAction.Skip, pipelineResult: 0) with { Output = JsonValue.Create("skipped") }
                : Repair("each", 3, RepairAction.Retry, pipelineResult: 1) with { Item = 6 });
        }

        var run = await completion.WaitAsync(s_progressTimeout);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("skipped", RecordAssert.Task(run.PipelineResults[0], "each").TaskResults[3].Output!.GetValue<string>());
        var retried = RecordAssert.Task(run.PipelineResults[1], "each").TaskResults[3];
        Assert.Equal((2, 6), (retried.Attempts, retried.Item!.GetValue<int>()));
        Assert.Equal(1, CountingTask.Calls(key, "each", "us", 6));
    }
}
