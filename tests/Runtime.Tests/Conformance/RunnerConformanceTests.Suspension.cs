using System.Diagnostics;
using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Conformance;

/// <summary>Suspend and resume (docs/rules.md, Suspend and resume), on every runner.</summary>
public abstract partial class RunnerConformanceTests
{
    private static readonly TimeSpan s_progressTimeout = TimeSpan.FromSeconds(60);

    // "slow" is running when the run is suspended: it finishes and is recorded while the run stays suspended, and
    // "each", its child, starts nothing (not even its iterator) until the resume.
    [Fact]
    public async Task Suspend_NoNewResultStartsUntilResumed_RunningOnesFinishAndAreRecorded()
    {
        var definition = new PipelineBuilder("suspend")
            .Task("slow", "sleep", t => t.Config(Sleep(LongTaskMs)))
            .Task("each", "echo", t => t.After("slow").ForEach("input.items"))
            .Build();
        var (runId, completion) = StartRun(definition, new JsonObject { ["items"] = new JsonArray(1, 2, 3) }, new OrchestrationSettings(), CancellationToken.None);

        await WaitForProgressAsync(runId, completion, p => p.RunningTasks.Contains("slow"));
        await SetSuspendedAsync(runId, true);
        await WaitForProgressAsync(runId, completion, p => p.Status == RunStatus.Suspended);
        var whileSuspended = await WaitForProgressAsync(runId, completion, p => p.Tasks.Succeeded == 1);
        Assert.Equal(RunStatus.Suspended, whileSuspended.Status);

        // Time in which "each" would have started and ended: it does not start while the run is suspended.
        await Task.Delay(LongTaskMs);
        var still = await GetProgressAsync(runId);
        Assert.NotNull(still);
        Assert.Equal(RunStatus.Suspended, still.Status);
        Assert.Equal((1, 0, 1), (still.Tasks.Succeeded, still.Tasks.Running, still.Results.Total));
        Assert.False(completion.IsCompleted);

        await SetSuspendedAsync(runId, false);
        var run = await completion.WaitAsync(s_progressTimeout);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal([StateAction.Suspended, StateAction.Resumed], run.OperatorActions.Select(a => a.Action));
        var resumedAt = run.OperatorActions[1].Time;
        var result = Assert.Single(run.PipelineResults);
        var slow = RecordAssert.Task(result, "slow");
        Assert.Equal(RunStatus.Succeeded, slow.Status);
        Assert.True(slow.FinishedAt <= resumedAt, $"'slow' finished at {slow.FinishedAt:O}, after the resume at {resumedAt:O}");
        var each = RecordAssert.Task(result, "each");
        Assert.Equal(RunStatus.Succeeded, each.Status);
        Assert.Equal(3, each.TaskResults.Count);
        Assert.All(each.TaskResults, r => Assert.True(r.StartedAt >= resumedAt, $"result {r.Index} started at {r.StartedAt:O}, before the resume at {resumedAt:O}"));
    }

    [Fact]
    public async Task Suspend_ACancelOfASuspendedRunEndsIt()
    {
        var definition = new PipelineBuilder("suspend-cancel")
            .Task("slow", "sleep", t => t.Config(Sleep(LongTaskMs)))
            .Task("after", "echo", t => t.After("slow"))
            .Build();
        using var cancel = new CancellationTokenSource();
        var (runId, completion) = StartRun(definition, null, new OrchestrationSettings(), cancel.Token);

        await WaitForProgressAsync(runId, completion, p => p.RunningTasks.Contains("slow"));
        await SetSuspendedAsync(runId, true);
        await WaitForProgressAsync(runId, completion, p => p.Status == RunStatus.Suspended);
        await cancel.CancelAsync();
        var run = await completion.WaitAsync(s_progressTimeout);

        Assert.Equal(RunStatus.Terminated, run.Status);
        Assert.Equal([StateAction.Suspended], run.OperatorActions.Select(a => a.Action));
        var after = RecordAssert.Task(Assert.Single(run.PipelineResults), "after");
        Assert.Equal(RunStatus.Cancelled, after.Status);
        Assert.Null(after.StartedAt);
    }

    // The suspension reaches the pipeline results running as sub-orchestrations of their own, and those not started yet
    // wait for the resume too.
    [Fact]
    public async Task Suspend_HoldsEveryPipelineResult()
    {
        var definition = new PipelineBuilder("suspend-items")
            .ForEach("input.regions")
            .Task("slow", "sleep", t => t.Config(Sleep(LongTaskMs)))
            .Task("after", "echo", t => t.After("slow"))
            .Build();
        var (runId, completion) = StartRun(definition, new JsonObject { ["regions"] = new JsonArray("eu", "us") }, new OrchestrationSettings(), CancellationToken.None);

        // A run with a pipeline iterator shows no progress of its own before it is suspended: suspend it while the
        // pipeline results' "slow" tasks run (or before they start, which holds them the same).
        await Task.Delay(LongTaskMs / 4);
        await SetSuspendedAsync(runId, true);
        await WaitForProgressAsync(runId, completion, p => p.Status == RunStatus.Suspended);
        await Task.Delay(LongTaskMs * 2);
        Assert.False(completion.IsCompleted);
        await SetSuspendedAsync(runId, false);
        var run = await completion.WaitAsync(s_progressTimeout);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var resumedAt = run.OperatorActions[1].Time;
        Assert.All(run.PipelineResults, r => Assert.True(
            RecordAssert.Task(r, "after").StartedAt >= resumedAt,
            $"'after' of pipeline result {r.Index} started before the resume"));
    }

    private async Task<RunProgress> WaitForProgressAsync(string runId, Task<PipelineExecution> completion, Func<RunProgress, bool> condition)
    {
        var clock = Stopwatch.StartNew();
        RunProgress? last = null;
        while (clock.Elapsed < s_progressTimeout)
        {
            if (completion.IsCompleted)
            {
                var run = await completion;
                Assert.Fail($"run {runId} ended ({run.Status}) before its progress showed what the test waits for; last progress: {last}");
            }

            last = await GetProgressAsync(runId);
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"run {runId} did not show what the test waits for within {s_progressTimeout}; last progress: {last}");
        return null!;
    }
}
