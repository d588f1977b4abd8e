using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Conformance;

/// <summary>
/// The rules of docs/rules.md, as one suite every runner must pass. A runner joins by deriving from this
/// class and saying how it runs a pipeline. Order is checked through the record's timestamps and statuses.
/// LocalHost.Tests compiles this file (and <see cref="RecordAssert"/>) too, for the durable runner on Azurite.
/// </summary>
public abstract partial class RunnerConformanceTests
{
    /// <summary>True when the runner may run task results at the same time.</summary>
    protected abstract bool RunsConcurrently { get; }

    /// <summary>
    /// Runs a definition to its end with the given settings and cancellation, under a run id of its own; with
    /// <paramref name="rerun"/>, as a rerun of that source run.
    /// </summary>
    protected abstract Task<PipelineExecution> RunAsync(PipelineDefinition definition, JsonNode? input, OrchestrationSettings settings, Rerun? rerun, CancellationToken cancellationToken);

    private Task<PipelineExecution> RunAsync(PipelineDefinition definition, JsonNode? input = null, OrchestrationSettings? settings = null) =>
        RunAsync(definition, input, settings ?? new OrchestrationSettings(), null, CancellationToken.None);

    private Task<PipelineExecution> RerunAsync(PipelineDefinition definition, JsonNode? input, PipelineExecution source, OrchestrationSettings? settings = null) =>
        RunAsync(definition, input, settings ?? new OrchestrationSettings(), Rerun.Of(source), CancellationToken.None);

    /// <summary>
    /// How long a task sleeps when a test needs other task results to start (or finish) while it runs. A runner whose
    /// every step crosses queues (the durable engine on storage) needs longer than the in-process runners to show the
    /// same order without racing.
    /// </summary>
    protected virtual int LongTaskMs => 400;

    /// <summary>
    /// Starts a run as <see cref="RunAsync(PipelineDefinition, JsonNode?, OrchestrationSettings, Rerun?, CancellationToken)"/>
    /// does, without waiting for it: its id and its end. Cancelling <paramref name="cancellationToken"/> cancels the run.
    /// </summary>
    protected abstract (string RunId, Task<PipelineExecution> Completion) StartRun(PipelineDefinition definition, JsonNode? input, OrchestrationSettings settings, Rerun? rerun, CancellationToken cancellationToken);

    private (string RunId, Task<PipelineExecution> Completion) StartRun(PipelineDefinition definition, JsonNode? input, OrchestrationSettings settings, CancellationToken cancellationToken) =>
        StartRun(definition, input, settings, null, cancellationToken);

    /// <summary>Suspends (<paramref name="suspended"/> true) or resumes a running run, as an operator does on this runner.</summary>
    protected abstract Task SetSuspendedAsync(string runId, bool suspended);

    /// <summary>Raises event <paramref name="name"/> on a running run, as <c>POST /api/runs/{runId}/events/{name}</c> does on this runner.</summary>
    protected abstract Task RaiseEventAsync(string runId, string name, JsonNode? payload);

    /// <summary>Hands an operator's retry, skip or fail of a waiting result to a running run, as the HTTP route does.</summary>
    protected abstract Task RepairAsync(string runId, RepairMessage repair);

    /// <summary>The run's live progress as this runner shows it (null before it has any).</summary>
    protected abstract Task<RunProgress?> GetProgressAsync(string runId);

    private static JsonObject Sleep(int ms) => new() { ["ms"] = ms };

    [Fact]
    public async Task Rule1_DiamondGraph_ChildStartsOnlyAfterAllParentsSucceeded()
    {
        var definition = new PipelineBuilder("diamond")
            .Task("a", "sleep", t => t.Config(Sleep(30)))
            .Task("b", "sleep", t => t.After("a").Config(Sleep(60)))
            .Task("c", "sleep", t => t.After("a").Config(Sleep(10)))
            .Task("d", "echo", t => t.After("b", "c"))
            .Build();

        var run = await RunAsync(definition);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var result = Assert.Single(run.PipelineResults);
        RecordAssert.ParentsFinishedBeforeChildren(definition, result);
        var d = RecordAssert.Task(result, "d");
        Assert.True(d.StartedAt >= RecordAssert.Task(result, "b").FinishedAt);
    }

    [Fact]
    public async Task Rule1_ChildStartsAsSoonAsItsOwnParentsSucceed_NoLayerBarrier()
    {
        // "fast-child" depends only on "fast"; it must not wait for the slow root of another branch.
        var definition = new PipelineBuilder("no-barrier")
            .Task("slow", "sleep", t => t.Config(Sleep(LongTaskMs)))
            .Task("fast", "sleep", t => t.Config(Sleep(1)))
            .Task("fast-child", "echo", t => t.After("fast"))
            .Task("slow-child", "echo", t => t.After("slow"))
            .Build();

        var run = await RunAsync(definition);

        var result = Assert.Single(run.PipelineResults);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        if (RunsConcurrently)
        {
            Assert.True(RecordAssert.Task(result, "fast-child").FinishedAt < RecordAssert.Task(result, "slow").FinishedAt);
        }

        RecordAssert.ParentsFinishedBeforeChildren(definition, result);
    }

    [Fact]
    public async Task Rule2_TasksWithoutParents_AllRun()
    {
        var definition = new PipelineBuilder("roots")
            .Task("r1", "sleep", t => t.After().Config(Sleep(LongTaskMs)))
            .Task("r2", "sleep", t => t.After().Config(Sleep(LongTaskMs)))
            .Task("r3", "sleep", t => t.After().Config(Sleep(LongTaskMs)))
            .Build();

        var run = await RunAsync(definition);

        var result = Assert.Single(run.PipelineResults);
        Assert.All(result.TaskExecutions, t => Assert.Equal(RunStatus.Succeeded, t.Status));
        if (RunsConcurrently)
        {
            var r1 = RecordAssert.Task(result, "r1");
            var r3 = RecordAssert.Task(result, "r3");
            Assert.True(r3.StartedAt < r1.FinishedAt, "roots of a graph run at the same time on a concurrent runner");
        }
    }

    [Fact]
    public async Task Rule3_PipelineIterator_AFailedItemNeverStopsTheOthers()
    {
        var definition = new PipelineBuilder("regions")
            .ForEach("input.regions")
            .Task("extract", "fail", t => t.Config(new JsonObject { ["items"] = new JsonArray("us") }))
            .Task("load", "sleep", t => t.Config(Sleep(20)))
            .Build();

        var run = await RunAsync(definition, new JsonObject { ["regions"] = new JsonArray("eu", "us", "apac") });

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(3, run.PipelineResults.Count);
        Assert.Equal(["eu", "us", "apac"], run.PipelineResults.Select(r => r.Item!.GetValue<string>()));
        Assert.Equal([RunStatus.Succeeded, RunStatus.Failed, RunStatus.Succeeded], run.PipelineResults.Select(r => r.Status));
        var us = run.PipelineResults[1];
        Assert.Equal(RunStatus.Cancelled, RecordAssert.Task(us, "load").Status);
        Assert.Equal(RunStatus.Succeeded, RecordAssert.Task(run.PipelineResults[2], "load").Status);
    }

    [Fact]
    public async Task Rule4_TaskIterator_EveryResultFinishesBeforeAnyChildStarts()
    {
        var definition = new PipelineBuilder("fan")
            .Task("each", "sleep", t => t.ForEach("input.ms").MaxConcurrency(4).Config(Sleep(5)))
            .Task("after", "echo", t => t.After("each"))
            .Build();

        var run = await RunAsync(definition, new JsonObject { ["ms"] = new JsonArray(1, 2, 3, 4, 5, 6, 7, 8) });

        var result = Assert.Single(run.PipelineResults);
        var each = RecordAssert.Task(result, "each");
        Assert.Equal(8, each.TaskResults.Count);
        Assert.Equal(Enumerable.Range(0, 8), each.TaskResults.Select(r => r.Index));
        var after = RecordAssert.Task(result, "after");
        Assert.True(each.TaskResults.All(r => r.FinishedAt <= after.StartedAt));
        var fanIn = after.TaskResults[0].Output!["parents"]!["each"]!.AsArray();
        Assert.Equal(8, fanIn.Count);
    }

    [Fact]
    public async Task Rule4_FailedResult_CancelsNotStartedResultsAndEveryDescendant()
    {
        var definition = new PipelineBuilder("fan-fail")
            .Task("each", "fail", t => t.ForEach("input.items").MaxConcurrency(1).Config(new JsonObject { ["items"] = new JsonArray(2) }))
            .Task("child", "echo", t => t.After("each"))
            .Task("grandchild", "echo", t => t.After("child"))
            .Build();

        var run = await RunAsync(definition, new JsonObject { ["items"] = new JsonArray(0, 1, 2, 3, 4, 5) });

        var result = Assert.Single(run.PipelineResults);
        var each = RecordAssert.Task(result, "each");
        Assert.Equal(RunStatus.Failed, each.Status);
        Assert.Equal([RunStatus.Succeeded, RunStatus.Succeeded, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Cancelled, RunStatus.Cancelled], each.TaskResults.Select(r => r.Status));
        Assert.All(each.TaskResults.Skip(3), r => Assert.Equal(0, r.Attempts));
        Assert.Equal("not started: another result of this task failed", each.TaskResults[3].Error!.Message);
        foreach (var name in new[] { "child", "grandchild" })
        {
            var task = RecordAssert.Task(result, name);
            Assert.Equal(RunStatus.Cancelled, task.Status);
            Assert.Null(task.StartedAt);
            Assert.Empty(task.TaskResults);
        }

        Assert.Equal("not started: parent 'each' failed", RecordAssert.Task(result, "child").Error!.Message);
        Assert.Equal(RunStatus.Failed, run.Status);
    }

    [Fact]
    public async Task Rule4_EmptyIterator_TaskSucceedsWithNoResultsAndChildrenRun()
    {
        var definition = new PipelineBuilder("empty")
            .Task("each", "echo", t => t.ForEach("input.items"))
            .Task("after", "echo", t => t.After("each"))
            .Build();

        var run = await RunAsync(definition, new JsonObject { ["items"] = new JsonArray() });

        var result = Assert.Single(run.PipelineResults);
        var each = RecordAssert.Task(result, "each");
        Assert.Equal(RunStatus.Succeeded, each.Status);
        Assert.Empty(each.TaskResults);
        Assert.Equal(RunStatus.Succeeded, RecordAssert.Task(result, "after").Status);
        Assert.Empty(RecordAssert.Task(result, "after").TaskResults[0].Output!["parents"]!["each"]!.AsArray());
    }

    [Fact]
    public async Task Rule4_ToleratedFailures_WithinTheAllowanceTheTaskSucceedsAndChildrenSeeNullForFailedItems()
    {
        var definition = new PipelineBuilder("tolerated")
            .Task("each", "fail", t => t.ForEach("input.items").MaxConcurrency(1).TolerateFailures(count: 2).Config(new JsonObject { ["items"] = new JsonArray(1, 4) }))
            .Task("after", "echo", t => t.After("each"))
            .Build();

        var run = await RunAsync(definition, new JsonObject { ["items"] = new JsonArray(0, 1, 2, 3, 4, 5) });

        var result = Assert.Single(run.PipelineResults);
        var each = RecordAssert.Task(result, "each");
        Assert.Equal(RunStatus.Succeeded, each.Status);
        Assert.Null(each.Error);
        Assert.Equal([RunStatus.Succeeded, RunStatus.Failed, RunStatus.Succeeded, RunStatus.Succeeded, RunStatus.Failed, RunStatus.Succeeded], each.TaskResults.Select(r => r.Status));
        Assert.All(each.TaskResults, r => Assert.Equal(1, r.Attempts));
        Assert.Contains("failed on purpose", each.TaskResults[1].Error!.Message);
        var after = RecordAssert.Task(result, "after");
        Assert.Equal(RunStatus.Succeeded, after.Status);
        var fanIn = after.TaskResults[0].Output!["parents"]!["each"]!.AsArray();
        Assert.Equal(6, fanIn.Count);
        Assert.Equal([false, true, false, false, true, false], fanIn.Select(o => o is null));
        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal(RunStatus.Succeeded, run.Status);
    }

    [Fact]
    public async Task Rule4_ToleratedFailures_BeyondTheAllowanceNoNewResultStartsAndTheTaskFails()
    {
        // 25 % of 8 results: 2 may fail. The third failure (item 5) ends the task as rule 4 says.
        var definition = new PipelineBuilder("tolerated-beyond")
            .Task("each", "fail", t => t.ForEach("input.items").MaxConcurrency(1).TolerateFailures(percentage: 25).Config(new JsonObject { ["items"] = new JsonArray(1, 3, 5) }))
            .Task("after", "echo", t => t.After("each"))
            .Build();

        var run = await RunAsync(definition, new JsonObject { ["items"] = new JsonArray(0, 1, 2, 3, 4, 5, 6, 7) });

        var result = Assert.Single(run.PipelineResults);
        var each = RecordAssert.Task(result, "each");
        Assert.Equal(RunStatus.Failed, each.Status);
        Assert.Equal(
            [RunStatus.Succeeded, RunStatus.Failed, RunStatus.Succeeded, RunStatus.Failed, RunStatus.Succeeded, RunStatus.Failed, RunStatus.Cancelled, RunStatus.Cancelled],
            each.TaskResults.Select(r => r.Status));
        Assert.All(each.TaskResults.Skip(6), r =>
        {
            Assert.Equal(0, r.Attempts);
            Assert.Equal("not started: more results of this task failed than the 2 it tolerates", r.Error!.Message);
        });
        Assert.Equal(RunStatus.Cancelled, RecordAssert.Task(result, "after").Status);
        Assert.Equal(RunStatus.Failed, run.Status);
    }

    // Across chunks the allowance is the task's: each chunk may fail what is left of it when the chunk starts, and the
    // failures of all chunks count against it.
    [Theory]
    [InlineData(3, RunStatus.Succeeded)]
    [InlineData(2, RunStatus.Failed)]
    public async Task Rule4_ToleratedFailures_CountAcrossChunks(int tolerated, RunStatus expected)
    {
        var definition = new PipelineBuilder("tolerated-chunks")
            .Task("each", "fail", t => t.ForEach("input.items").MaxConcurrency(4).TolerateFailures(count: tolerated).Config(new JsonObject { ["items"] = new JsonArray(0, 5, 9) }))
            .Task("after", "echo", t => t.After("each"))
            .Build();
        var items = new JsonArray([.. Enumerable.Range(0, 12).Select(i => (JsonNode)i)]);

        var run = await RunAsync(definition, new JsonObject { ["items"] = items }, new OrchestrationSettings { ChunkSize = 2 });

        var result = Assert.Single(run.PipelineResults);
        var each = RecordAssert.Task(result, "each");
        Assert.Equal(expected, each.Status);
        Assert.Equal(12, each.TaskResults.Count);
        if (expected == RunStatus.Succeeded)
        {
            Assert.Equal([0, 5, 9], each.TaskResults.Where(r => r.Status == RunStatus.Failed).Select(r => r.Index));
            Assert.All(each.TaskResults.Where(r => r.Status != RunStatus.Failed), r => Assert.Equal(RunStatus.Succeeded, r.Status));
            Assert.Equal(RunStatus.Succeeded, RecordAssert.Task(result, "after").Status);
        }
        else
        {
            Assert.Equal(3, each.TaskResults.Count(r => r.Status == RunStatus.Failed));
            Assert.All(each.TaskResults.Where(r => r.Attempts == 0), r => Assert.Equal("not started: more results of this task failed than the 2 it tolerates", r.Error!.Message));
            Assert.Equal(RunStatus.Cancelled, RecordAssert.Task(result, "after").Status);
        }
    }

    [Fact]
    public async Task Rule5_NoParentsDeclared_TasksRunInListedOrderOneAfterAnother()
    {
        var definition = new PipelineBuilder("sequence")
            .Task("one", "sleep", t => t.Config(Sleep(20)))
            .Task("two", "sleep", t => t.Config(Sleep(1)))
            .Task("three", "echo")
            .Build();

        var run = await RunAsync(definition);

        var result = Assert.Single(run.PipelineResults);
        var tasks = result.TaskExecutions;
        Assert.Equal(["one", "two", "three"], tasks.Select(t => t.Task));
        for (var i = 1; i < tasks.Count; i++)
        {
            Assert.True(tasks[i].StartedAt >= tasks[i - 1].FinishedAt, $"{tasks[i].Task} started before {tasks[i - 1].Task} finished");
        }

        Assert.True(RecordAssert.Task(result, "three").TaskResults[0].Output!["parents"]!.AsObject().ContainsKey("two"));
    }

    [Fact]
    public async Task Rule6_FailedTask_CancelsOnlyItsDescendants()
    {
        var definition = new PipelineBuilder("branches")
            .Task("boom", "fail", t => t.After())
            .Task("after-boom", "echo", t => t.After("boom"))
            .Task("slow", "sleep", t => t.After().Config(Sleep(100)))
            .Task("after-slow", "echo", t => t.After("slow"))
            .Build();

        var run = await RunAsync(definition);

        var result = Assert.Single(run.PipelineResults);
        Assert.Equal(RunStatus.Failed, RecordAssert.Task(result, "boom").Status);
        Assert.Equal(RunStatus.Cancelled, RecordAssert.Task(result, "after-boom").Status);
        Assert.Equal(RunStatus.Succeeded, RecordAssert.Task(result, "slow").Status);
        Assert.Equal(RunStatus.Succeeded, RecordAssert.Task(result, "after-slow").Status);
        Assert.Equal(RunStatus.Failed, run.Status);
    }

    // Listing "boom" first changes which root a runner with a limit (eager) starts first. When "slow" goes first,
    // "boom" waits for it, and "after-slow" is called while "boom" runs: it must still not start once "boom" failed.
    // That order is the eager runner's own (one result at a time). On a runner that runs "slow" beside "boom", "slow"
    // waits for an event raised only once the progress shows "boom" failed: a sleep would race with the failure (a
    // loaded machine once took longer than 300 ms to hand it over, and "after-slow" ran).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rule6_FailFast_CancelsEverythingNotYetStarted(bool failingRootListedFirst)
    {
        var builder = new PipelineBuilder("fail-fast").FailFast();
        if (failingRootListedFirst)
        {
            builder.Task("boom", "fail", t => t.After());
        }

        builder
            .Task("slow", RunsConcurrently ? "wait" : "sleep", t => t.After().Config(RunsConcurrently ? new JsonObject { ["event"] = "go" } : Sleep(300)))
            .Task("after-slow", "echo", t => t.After("slow"));
        if (!failingRootListedFirst)
        {
            builder.Task("boom", "fail", t => t.After());
        }

        var definition = builder.Build();

        PipelineExecution run;
        if (RunsConcurrently)
        {
            var (runId, completion) = StartRun(definition, null, new OrchestrationSettings(), CancellationToken.None);
            await WaitForProgressAsync(runId, completion, p => p.Tasks.Failed == 1);
            await RaiseEventAsync(runId, "go", JsonValue.Create("late"));
            run = await completion.WaitAsync(s_progressTimeout);
            Assert.Equal(RunStatus.Succeeded, RecordAssert.Task(Assert.Single(run.PipelineResults), "slow").Status);
        }
        else
        {
            run = await RunAsync(definition);
        }

        var result = Assert.Single(run.PipelineResults);
        Assert.Equal(RunStatus.Failed, RecordAssert.Task(result, "boom").Status);
        var afterSlow = RecordAssert.Task(result, "after-slow");
        Assert.Equal(RunStatus.Cancelled, afterSlow.Status);
        Assert.Null(afterSlow.StartedAt);
        Assert.Equal(RunStatus.Failed, run.Status);
    }

    [Fact]
    public async Task Rule7_Retry_SucceedsOnLastAttempt()
    {
        var definition = new PipelineBuilder("retry")
            .Task("flaky", "fail", t => t.Config(new JsonObject { ["times"] = 2 }).Retry(3, TimeSpan.FromMilliseconds(10), 2.0))
            .Build();

        var run = await RunAsync(definition);

        var flaky = RecordAssert.Task(Assert.Single(run.PipelineResults), "flaky").TaskResults.Single();
        Assert.Equal(RunStatus.Succeeded, flaky.Status);
        Assert.Equal(3, flaky.Attempts);
        Assert.Equal(RunStatus.Succeeded, run.Status);
    }

    [Fact]
    public async Task Rule7_Retry_FailsOnlyWhenTheLastAttemptFails()
    {
        var definition = new PipelineBuilder("retry-out")
            .Task("flaky", "fail", t => t.Config(new JsonObject { ["times"] = 5, ["message"] = "still broken" }).Retry(2))
            .Build();

        var run = await RunAsync(definition);

        var flaky = RecordAssert.Task(Assert.Single(run.PipelineResults), "flaky").TaskResults.Single();
        Assert.Equal(RunStatus.Failed, flaky.Status);
        Assert.Equal(2, flaky.Attempts);
        Assert.Equal("still broken", flaky.Error!.Message);
        Assert.Equal("DurablePipelines.Handlers.BuiltIn.TaskFailedOnPurposeException", flaky.Error.Type);
    }

    [Fact]
    public async Task Rule7_Timeout_FailsTheAttemptWithATimeoutError()
    {
        var definition = new PipelineBuilder("timeout")
            .Task("slow", "sleep", t => t.Config(Sleep(10_000)).Timeout(TimeSpan.FromMilliseconds(100)))
            .Build();

        var run = await RunAsync(definition);

        var slow = RecordAssert.Task(Assert.Single(run.PipelineResults), "slow").TaskResults.Single();
        Assert.Equal(RunStatus.Failed, slow.Status);
        Assert.Equal("System.TimeoutException", slow.Error!.Type);
        Assert.StartsWith("timed out after 00:00:00.1", slow.Error.Message, StringComparison.Ordinal);
        Assert.True(slow.FinishedAt - slow.StartedAt < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Rule7_HandlerIgnoringItsToken_IsAbandonedAndRecordedAsTimedOut()
    {
        var definition = new PipelineBuilder("stubborn")
            .Task("stubborn", "sleep", t => t.Config(new JsonObject { ["ms"] = 10_000, ["ignoreCancellation"] = true }).Timeout(TimeSpan.FromMilliseconds(100)))
            .Build();

        var run = await RunAsync(definition);

        var stubborn = RecordAssert.Task(Assert.Single(run.PipelineResults), "stubborn").TaskResults.Single();
        Assert.Equal(RunStatus.Failed, stubborn.Status);
        Assert.Contains("ignored its cancellation token and was abandoned", stubborn.Error!.Message, StringComparison.Ordinal);
        Assert.True(run.FinishedAt - run.StartedAt < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Ttl_CancelsARunNotFinishedInTime()
    {
        // The ttl counts from the run's creation: 2 s leaves a loaded machine time to start "slow" before it expires
        // (at 1 s, a slow start could leave "slow" not started, Cancelled instead of Failed).
        var definition = new PipelineBuilder("ttl")
            .Ttl(TimeSpan.FromSeconds(2))
            .Task("slow", "sleep", t => t.Config(Sleep(10_000)))
            .Task("never", "echo")
            .Build();

        var run = await RunAsync(definition);

        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Contains("ttl", run.Error!.Message, StringComparison.Ordinal);
        var result = Assert.Single(run.PipelineResults);
        Assert.Equal(RunStatus.Failed, RecordAssert.Task(result, "slow").Status);
        Assert.Equal("the run's ttl expired", RecordAssert.Task(result, "slow").TaskResults[0].Error!.Message);
        Assert.Equal(RunStatus.Cancelled, RecordAssert.Task(result, "never").Status);
        Assert.True(run.FinishedAt - run.StartedAt < TimeSpan.FromSeconds(8), "the ttl ends the run long before the 10 s task would");
    }

    [Fact]
    public async Task Cancel_StopsScheduling_NotStartedResultsCancelled_RunTerminated()
    {
        var definition = new PipelineBuilder("cancel")
            .Task("each", "sleep", t => t.ForEach("input.items").MaxConcurrency(1).Config(Sleep(200)))
            .Task("after", "echo")
            .Build();

        // 30 results of 200 ms one at a time take 6 s. Cancelling at 2 s leaves most not started, and is late enough
        // for the first result to end even when a loaded machine takes a second and more to start the run (at 700 ms
        // over 10 results, it sometimes had not).
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var items = new JsonArray([.. Enumerable.Range(1, 30).Select(i => (JsonNode)i)]);

        var run = await RunAsync(definition, new JsonObject { ["items"] = items }, new OrchestrationSettings(), null, cts.Token);

        Assert.Equal(RunStatus.Terminated, run.Status);
        var result = Assert.Single(run.PipelineResults);
        var each = RecordAssert.Task(result, "each");
        Assert.Contains(each.TaskResults, r => r.Status == RunStatus.Succeeded);
        Assert.Contains(each.TaskResults, r => r.Status == RunStatus.Cancelled && r.Attempts == 0);
        Assert.Equal(RunStatus.Cancelled, RecordAssert.Task(result, "after").Status);
    }

    [Fact]
    public async Task Outputs_FlowToChildren_AndMetadataIsCarriedUntouched()
    {
        var definition = new PipelineBuilder("flow")
            .Metadata(new JsonObject { ["owner"] = "billing" })
            .Task("first", "echo", t => t.Config(new JsonObject { ["greeting"] = "hello" }).Metadata(new JsonObject { ["team"] = "x" }))
            .Task("second", "echo")
            .Build();

        var run = await RunAsync(definition, new JsonObject { ["date"] = "2026-11-23" });

        Assert.Equal("billing", run.Metadata!["owner"]!.GetValue<string>());
        var result = Assert.Single(run.PipelineResults);
        Assert.Equal("x", RecordAssert.Task(result, "first").Metadata!["team"]!.GetValue<string>());
        var second = RecordAssert.Task(result, "second").TaskResults[0].Output!;
        Assert.Equal("hello", second["parents"]!["first"]!["config"]!["greeting"]!.GetValue<string>());
        Assert.Equal("2026-11-23", second["input"]!["date"]!.GetValue<string>());
    }

    [Fact]
    public async Task LargeOutputs_GoByReference_AndChildrenStillSeeTheValue()
    {
        var big = new JsonArray([.. Enumerable.Range(0, 200).Select(i => (JsonNode)$"value-{i:D5}")]);
        var definition = new PipelineBuilder("large")
            .Task("big", "echo")
            .Task("child", "echo")
            .Build();

        var run = await RunAsync(definition, new JsonObject { ["big"] = big }, new OrchestrationSettings { InlinePayloadLimit = 1024 });

        var result = Assert.Single(run.PipelineResults);
        var bigOutput = RecordAssert.Task(result, "big").TaskResults[0].Output;
        Assert.True(DurablePipelines.Payloads.PayloadReference.TryGet(bigOutput, out _), "an output over the limit is recorded as a reference");
        var child = RecordAssert.Task(result, "child").TaskResults[0].Output;
        Assert.True(DurablePipelines.Payloads.PayloadReference.TryGet(child, out _));
        Assert.Equal(RunStatus.Succeeded, run.Status);
    }

    [Fact]
    public async Task LargeIterator_RunsInChunks_WithEveryResultRecordedOnce()
    {
        var definition = new PipelineBuilder("chunks")
            .Task("each", "echo", t => t.ForEach("input.items").MaxConcurrency(4))
            .Task("after", "echo", t => t.After("each"))
            .Build();
        var items = new JsonArray([.. Enumerable.Range(0, 23).Select(i => (JsonNode)i)]);

        var run = await RunAsync(definition, new JsonObject { ["items"] = items }, new OrchestrationSettings { ChunkSize = 5 });

        var result = Assert.Single(run.PipelineResults);
        var each = RecordAssert.Task(result, "each");
        Assert.Equal(Enumerable.Range(0, 23), each.TaskResults.Select(r => r.Index));
        Assert.All(each.TaskResults, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.Equal(Enumerable.Range(0, 23), each.TaskResults.Select(r => r.Output!["taskItem"]!.GetValue<int>()));
        Assert.Equal(23, RecordAssert.Task(result, "after").TaskResults[0].Output!["parents"]!["each"]!.AsArray().Count);
    }

    [Fact]
    public async Task MaxConcurrency_IteratorInChunks_NeverMoreResultsAtOnceThanTheTaskAllows()
    {
        // 7 at once over chunks of 5: two chunks run side by side, and together they must stay within 7.
        var definition = new PipelineBuilder("chunked-window")
            .Task("each", "sleep", t => t.ForEach("input.items").MaxConcurrency(7).Config(Sleep(150)))
            .Build();
        var items = new JsonArray([.. Enumerable.Range(0, 20).Select(i => (JsonNode)i)]);

        var run = await RunAsync(definition, new JsonObject { ["items"] = items }, new OrchestrationSettings { ChunkSize = 5 });

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var results = RecordAssert.Task(Assert.Single(run.PipelineResults), "each").TaskResults;
        var most = results.Max(r => results.Count(o => o.StartedAt < r.FinishedAt && r.StartedAt < o.FinishedAt && o.StartedAt <= r.StartedAt));
        Assert.True(most <= 7, $"{most} results ran at once");
    }

    [Fact]
    public async Task LargeIterator_FailureInAChunk_CancelsLaterChunksAndDescendants()
    {
        var definition = new PipelineBuilder("chunks-fail")
            .Task("each", "fail", t => t.ForEach("input.items").MaxConcurrency(1).Config(new JsonObject { ["items"] = new JsonArray(7) }))
            .Task("after", "echo", t => t.After("each"))
            .Build();
        var items = new JsonArray([.. Enumerable.Range(0, 20).Select(i => (JsonNode)i)]);

        var run = await RunAsync(definition, new JsonObject { ["items"] = items }, new OrchestrationSettings { ChunkSize = 5 });

        var each = RecordAssert.Task(Assert.Single(run.PipelineResults), "each");
        Assert.Equal(20, each.TaskResults.Count);
        Assert.Equal(RunStatus.Failed, each.TaskResults[7].Status);
        Assert.All(each.TaskResults.Take(7), r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.All(each.TaskResults.Skip(8), r => Assert.Equal(RunStatus.Cancelled, r.Status));
        Assert.Equal(RunStatus.Cancelled, RecordAssert.Task(Assert.Single(run.PipelineResults), "after").Status);
    }

    // A chunk checks its own stop signal, not the pipeline result's: the failFast stop must reach the chunks already
    // running. (10, 2): one chunk at a time, whose lanes start a result each time one ends. (2, 6): three chunks at
    // once, each starting its results as the runner's limit lets it (eager: one at a time). "boom" is listed first,
    // so a runner with a limit runs it before the results of "each", all but one: "boom" may end and free the slot
    // before the step that starts the chunks does, and that step starts what finds it free. The results sleep long
    // enough for "boom" to fail while the first ones still run on any runner: on the engine over a busy Azurite the
    // failure reaches a running chunk through episodes of the parent and of the chunk, which once took over 500 ms.
    [Theory]
    [InlineData(10, 2)]
    [InlineData(2, 6)]
    public async Task Rule6_FailFast_ChunksAlreadyRunningStartNoMoreResults(int chunkSize, int maxConcurrency)
    {
        var definition = new PipelineBuilder("fail-fast-chunks")
            .FailFast()
            .Task("boom", "fail", t => t.After())
            .Task("each", "sleep", t => t.After().ForEach("input.items").MaxConcurrency(maxConcurrency).Config(Sleep(2000)))
            .Build();
        var items = new JsonArray([.. Enumerable.Range(0, 30).Select(i => (JsonNode)i)]);

        var run = await RunAsync(definition, new JsonObject { ["items"] = items }, new OrchestrationSettings { ChunkSize = chunkSize });

        var result = Assert.Single(run.PipelineResults);
        Assert.Equal(RunStatus.Failed, RecordAssert.Task(result, "boom").Status);
        var each = RecordAssert.Task(result, "each");
        Assert.Equal(30, each.TaskResults.Count);
        var started = each.TaskResults.Where(r => r.Attempts > 0).ToList();
        Assert.All(started, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.True(started.Count <= (RunsConcurrently ? maxConcurrency : 1), $"{started.Count} results of 'each' started: only those running when 'boom' failed may");
        Assert.All(each.TaskResults.Where(r => r.Attempts == 0), r =>
        {
            Assert.Equal(RunStatus.Cancelled, r.Status);
            Assert.Null(r.StartedAt);
            Assert.Equal("not started: a task failed and the pipeline is failFast", r.Error!.Message);
        });
        Assert.Equal(RunStatus.Cancelled, each.Status);
        Assert.Equal(RunStatus.Failed, run.Status);
    }

    // Rule 4 across chunks: the failed result's chunk returns, and the chunks of the same task still running start
    // nothing more. Three chunks of "each" run at once; on a runner with a limit (eager) the results of chunks 1
    // and 2 wait behind result 0, so none of them may start once it has failed (one may start before: result 0 may
    // end and free the slot before the step that starts the chunks does). A runner without one starts every result
    // of a running chunk at once: there, results that ran before the failure was seen may have succeeded. "other",
    // a chunked task of an independent branch, is not stopped.
    [Fact]
    public async Task Rule4_FailedResultInAChunk_OtherRunningChunksOfTheTaskStartNoMoreResults()
    {
        var definition = new PipelineBuilder("chunks-fail-concurrent")
            .Task("each", "fail", t => t.After().ForEach("input.items").MaxConcurrency(6).Config(new JsonObject { ["items"] = new JsonArray(0) }))
            .Task("other", "echo", t => t.After().ForEach("input.items").MaxConcurrency(6))
            .Task("after", "echo", t => t.After("each"))
            .Build();
        var items = new JsonArray([.. Enumerable.Range(0, 12).Select(i => (JsonNode)i)]);

        var run = await RunAsync(definition, new JsonObject { ["items"] = items }, new OrchestrationSettings { ChunkSize = 2 });

        var result = Assert.Single(run.PipelineResults);
        var each = RecordAssert.Task(result, "each");
        Assert.Equal(RunStatus.Failed, each.Status);
        Assert.Equal(RunStatus.Failed, each.TaskResults[0].Status);
        var rest = each.TaskResults.Skip(1).ToList();
        Assert.All(rest.Where(r => r.Attempts > 0), r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.All(rest.Where(r => r.Attempts == 0), r =>
        {
            Assert.Equal(RunStatus.Cancelled, r.Status);
            Assert.Equal("not started: another result of this task failed", r.Error!.Message);
        });
        if (!RunsConcurrently)
        {
            Assert.True(rest.Count(r => r.Attempts > 0) <= 1, $"results {string.Join(", ", rest.Where(r => r.Attempts > 0).Select(r => r.Index))} ran after result 0 failed");
        }

        var other = RecordAssert.Task(result, "other");
        Assert.Equal(RunStatus.Succeeded, other.Status);
        Assert.All(other.TaskResults, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.Null(RecordAssert.Task(result, "after").StartedAt);
        Assert.Equal(RunStatus.Failed, run.Status);
    }

    [Fact]
    public async Task Record_ListsEveryTaskOfEveryPipelineResult_WithUtcTimes()
    {
        var definition = new PipelineBuilder("complete")
            .ForEach("input.regions")
            .Task("a", "fail")
            .Task("b", "echo")
            .Task("c", "echo")
            .Build();

        var run = await RunAsync(definition, new JsonObject { ["regions"] = new JsonArray("eu", "us") });

        Assert.All(run.PipelineResults, r => Assert.Equal(["a", "b", "c"], r.TaskExecutions.Select(t => t.Task)));
        Assert.Equal(DateTimeKind.Utc, run.StartedAt!.Value.Kind);
        Assert.All(run.PipelineResults.SelectMany(r => r.TaskExecutions), t => Assert.True(t.Status.IsFinal()));
    }

    // A reused output over the payload limit is the reference the source stored: the rerun's children read it.
    [Fact]
    public async Task Rerun_ReusedLargeOutput_ChildrenThatRunAgainReadIt()
    {
        var key = Guid.NewGuid().ToString("N");
        var big = new JsonArray([.. Enumerable.Range(0, 200).Select(i => (JsonNode)$"value-{i:D5}")]);
        var definition = new PipelineBuilder("rerun-large")
            .Task("big", "echo")
            .Task("each", CountingTask.Name, t => t.After("big").ForEach("input.items").Config(CountingTask.Config(key)))
            .Build();
        var input = new JsonObject { ["big"] = big, ["items"] = new JsonArray(1, 2) };
        var settings = new OrchestrationSettings { InlinePayloadLimit = 1024 };
        CountingTask.Break(key, 2);

        var source = await RunAsync(definition, input, settings, null, CancellationToken.None);
        CountingTask.Mend(key);
        var rerun = await RerunAsync(definition, input, source, settings);

        Assert.Equal((RunStatus.Failed, RunStatus.Succeeded), (source.Status, rerun.Status));
        var reused = RecordAssert.Task(rerun.PipelineResults[0], "big").TaskResults[0];
        Assert.Equal(source.RunId, reused.ReusedFrom);
        Assert.True(DurablePipelines.Payloads.PayloadReference.TryGet(reused.Output, out _), "the reused output is the source's reference");
        Assert.Equal(1, CountingTask.Calls(key, "each", null, 1));
        Assert.Equal((2, 1), (CountingTask.Calls(key, "each", null, 2), CountingTask.Succeeded(key, "each", null, 2)));
    }

    // Rerun: a root task that succeeded whole and the results of an iterated task that succeeded are kept as the
    // source recorded them, not run again (the handler's calls say so); the rest runs, and its child sees every output.
    [Fact]
    public async Task Rerun_ReusesSucceededResults_RunsOnlyTheRest()
    {
        var key = Guid.NewGuid().ToString("N");
        var definition = new PipelineBuilder("rerun")
            .Task("first", CountingTask.Name, t => t.Config(CountingTask.Config(key)))
            .Task("each", CountingTask.Name, t => t.After("first").ForEach("input.items").Config(CountingTask.Config(key)))
            .Task("after", CountingTask.Name, t => t.After("each").Config(CountingTask.Config(key)))
            .Build();
        var input = new JsonObject { ["items"] = new JsonArray(0, 1, 2, 3, 4, 5) };
        CountingTask.Break(key, 2, 4);

        var source = await RunAsync(definition, input);
        CountingTask.Mend(key);
        var rerun = await RerunAsync(definition, input, source);

        Assert.Equal(RunStatus.Failed, source.Status);
        Assert.Equal(RunStatus.Succeeded, rerun.Status);
        Assert.Equal(source.RunId, rerun.RerunOf);
        var before = Assert.Single(source.PipelineResults);
        var after = Assert.Single(rerun.PipelineResults);
        Assert.Equal(1, CountingTask.Calls(key, "first", null, null));
        Assert.Equal(
            JsonSerializer.Serialize(RecordAssert.Task(before, "first").TaskResults[0] with { ReusedFrom = source.RunId }, PipelineJson.Options),
            JsonSerializer.Serialize(RecordAssert.Task(after, "first").TaskResults[0], PipelineJson.Options));
        var succeededBefore = RecordAssert.Task(before, "each").TaskResults.Where(r => r.Status == RunStatus.Succeeded).Select(r => r.Index).ToHashSet();
        Assert.DoesNotContain(2, succeededBefore);
        Assert.Contains(0, succeededBefore);
        var each = RecordAssert.Task(after, "each");
        Assert.All(each.TaskResults, r =>
        {
            Assert.Equal(RunStatus.Succeeded, r.Status);
            Assert.Equal(1, CountingTask.Succeeded(key, "each", null, r.Item));
            Assert.Equal(succeededBefore.Contains(r.Index) ? source.RunId : null, r.ReusedFrom);
            if (succeededBefore.Contains(r.Index))
            {
                Assert.Equal(1, CountingTask.Calls(key, "each", null, r.Item));
            }
        });
        Assert.Equal(1, CountingTask.Calls(key, "after", null, null));
        var seen = RecordAssert.Task(after, "after").TaskResults[0].Output!["parents"]!["each"]!.AsArray();
        Assert.Equal([0, 1, 2, 3, 4, 5], seen.Select(o => o!["taskItem"]!.GetValue<int>()));
    }

    // A rerun of a rerun: what either earlier run gave is kept, marked with the run whose handler call gave it; every
    // item's handler succeeded exactly once over the three runs.
    [Fact]
    public async Task Rerun_OfARerun_KeepsWhatEitherEarlierRunGave()
    {
        var key = Guid.NewGuid().ToString("N");
        var definition = new PipelineBuilder("rerun-twice")
            .Task("each", CountingTask.Name, t => t.ForEach("input.items").MaxConcurrency(1).Config(CountingTask.Config(key)))
            .Build();
        var input = new JsonObject { ["items"] = new JsonArray(0, 1, 2, 3) };
        CountingTask.Break(key, 1, 3);

        var first = await RunAsync(definition, input);
        CountingTask.Mend(key);
        CountingTask.Break(key, 3);
        var second = await RerunAsync(definition, input, first);
        CountingTask.Mend(key);
        var third = await RerunAsync(definition, input, second);

        Assert.Equal([RunStatus.Failed, RunStatus.Failed, RunStatus.Succeeded], new[] { first.Status, second.Status, third.Status });
        Assert.Equal(second.RunId, third.RerunOf);
        var results = RecordAssert.Task(Assert.Single(third.PipelineResults), "each").TaskResults;
        Assert.Equal([first.RunId, second.RunId, second.RunId, null], results.Select(r => r.ReusedFrom));
        Assert.All(results, r => Assert.Equal(1, CountingTask.Succeeded(key, "each", null, r.Item)));
        Assert.Equal([1, 2, 1, 2], results.Select(r => CountingTask.Calls(key, "each", null, r.Item)));
    }

    // Chunked: a task with more items than the chunk size reuses per result in its chunks too.
    [Fact]
    public async Task Rerun_ChunkedTask_ReusesPerResultInEveryChunk()
    {
        var key = Guid.NewGuid().ToString("N");
        var definition = new PipelineBuilder("rerun-chunks")
            .Task("each", CountingTask.Name, t => t.ForEach("input.items").MaxConcurrency(2).Config(CountingTask.Config(key)))
            .Build();
        var input = new JsonObject { ["items"] = new JsonArray([.. Enumerable.Range(0, 10).Select(i => (JsonNode)i)]) };
        var settings = new OrchestrationSettings { ChunkSize = 3 };
        CountingTask.Break(key, 7);

        var source = await RunAsync(definition, input, settings);
        CountingTask.Mend(key);
        var rerun = await RerunAsync(definition, input, source, settings);

        Assert.Equal(RunStatus.Failed, source.Status);
        Assert.Equal(RunStatus.Succeeded, rerun.Status);
        var before = RecordAssert.Task(Assert.Single(source.PipelineResults), "each").TaskResults;
        var after = RecordAssert.Task(Assert.Single(rerun.PipelineResults), "each").TaskResults;
        Assert.Equal(Enumerable.Range(0, 10), after.Select(r => r.Index));
        Assert.Contains(after, r => r.ReusedFrom == source.RunId && r.Index >= 3);
        Assert.All(after, r =>
        {
            Assert.Equal(RunStatus.Succeeded, r.Status);
            Assert.Equal(1, CountingTask.Succeeded(key, "each", null, r.Item));
            Assert.Equal(before[r.Index].Status == RunStatus.Succeeded ? source.RunId : null, r.ReusedFrom);
        });
    }

    // A pipeline iterator: the pipeline results that succeeded are kept whole as recorded; the failed one runs again.
    [Fact]
    public async Task Rerun_PipelineIterator_KeepsSucceededPipelineResultsWhole()
    {
        var key = Guid.NewGuid().ToString("N");
        var definition = new PipelineBuilder("rerun-regions")
            .ForEach("input.regions")
            .Task("extract", CountingTask.Name, t => t.Config(CountingTask.Config(key)))
            .Task("load", CountingTask.Name, t => t.Config(CountingTask.Config(key)))
            .Build();
        var input = new JsonObject { ["regions"] = new JsonArray("eu", "us", "apac") };
        CountingTask.Break(key, "us");

        var source = await RunAsync(definition, input);
        CountingTask.Mend(key);
        var rerun = await RerunAsync(definition, input, source);

        Assert.Equal([RunStatus.Succeeded, RunStatus.Failed, RunStatus.Succeeded], source.PipelineResults.Select(r => r.Status));
        Assert.Equal(RunStatus.Succeeded, rerun.Status);
        foreach (var i in new[] { 0, 2 })
        {
            Assert.Equal(source.PipelineResults[i].StartedAt, rerun.PipelineResults[i].StartedAt);
            Assert.All(rerun.PipelineResults[i].TaskExecutions.SelectMany(t => t.TaskResults), r => Assert.Equal(source.RunId, r.ReusedFrom));
        }

        Assert.All(rerun.PipelineResults[1].TaskExecutions.SelectMany(t => t.TaskResults), r => Assert.Null(r.ReusedFrom));
        Assert.All(new[] { "eu", "apac" }, region =>
        {
            Assert.Equal(1, CountingTask.Calls(key, "extract", region, null));
            Assert.Equal(1, CountingTask.Calls(key, "load", region, null));
        });
        Assert.Equal(2, CountingTask.Calls(key, "extract", "us", null));
        Assert.Equal(1, CountingTask.Calls(key, "load", "us", null));
    }
}
