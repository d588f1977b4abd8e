using System.Net;
using System.Text.Json.Nodes;
using DurablePipelines.Records;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests.Serve;

/// <summary>The read and cancel routes of docs/api.md on the real host over Azurite.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ApiEndpointsRunTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ServeApp _serve = null!;

    public async Task InitializeAsync() => _serve = await ServeApp.StartAsync(azurite);

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    [Fact]
    public async Task ListPipelines_EveryDefinitionSortedWithItsGraph()
    {
        using var response = await _serve.Http.GetAsync("api/pipelines");

        var body = await ProblemAssert.OkAsync(response);
        var pipelines = body["pipelines"]!.AsArray();
        Assert.Equal(["diamond", "fan", "gate", "hello", "long", "multi", "repairable", "sleepy", "slow-fan"], pipelines.Select(p => p!["name"]!.GetValue<string>()));
        Assert.All(pipelines, p => Assert.NotNull(p!["graph"]!["nodes"]));
    }

    [Fact]
    public async Task GetPipeline_Diamond_DefinitionNodesAndEdges()
    {
        using var response = await _serve.Http.GetAsync("api/pipelines/diamond");

        var body = await ProblemAssert.OkAsync(response);
        Assert.Equal("diamond", body["name"]!.GetValue<string>());
        Assert.Equal("1", body["version"]!.GetValue<string>());
        Assert.Equal(4, body["definition"]!["tasks"]!.AsArray().Count);
        var graph = body["graph"]!;
        Assert.Equal(["a", "b", "c", "d"], graph["nodes"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()));
        Assert.Equal(["b", "c"], graph["nodes"]![3]!["parents"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(["a->b", "a->c", "b->d", "c->d"], graph["edges"]!.AsArray().Select(e => $"{e!["from"]}->{e["to"]}"));
        Assert.Contains("flowchart", graph["mermaid"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPipeline_Unknown_404WithDidYouMean()
    {
        using var response = await _serve.Http.GetAsync("api/pipelines/diamnd");

        var body = await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("unknown pipeline 'diamnd' (did you mean 'diamond'?)", body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetRun_FinishedFanOut_RecordOfSection7WithEveryTask()
    {
        using var start = await _serve.StartAsync("fan", new JsonObject { ["items"] = new JsonArray("x", "y", "z") }, "fan-1");
        await _serve.WaitForRunAsync("fan-1");

        using var response = await _serve.Http.GetAsync("api/runs/fan-1");

        var run = await ProblemAssert.OkAsync(response);
        foreach (var member in new[] { "runId", "pipeline", "version", "runner", "status", "createdAt", "startedAt", "finishedAt", "input", "error", "pipelineResults" })
        {
            Assert.True(run.ContainsKey(member), $"the record has no '{member}'");
        }

        Assert.Equal(("fan-1", "fan", "durable", "Succeeded"), (run["runId"]!.GetValue<string>(), run["pipeline"]!.GetValue<string>(), run["runner"]!.GetValue<string>(), run["status"]!.GetValue<string>()));
        Assert.EndsWith("Z", run["finishedAt"]!.GetValue<string>(), StringComparison.Ordinal);
        var result = Assert.Single(run["pipelineResults"]!.AsArray())!;
        Assert.Equal(0, result["index"]!.GetValue<int>());
        Assert.Equal(["each", "after"], result["taskExecutions"]!.AsArray().Select(t => t!["task"]!.GetValue<string>()));
        var each = result["taskExecutions"]![0]!;
        Assert.Equal(["x", "y", "z"], each["taskResults"]!.AsArray().Select(r => r!["item"]!.GetValue<string>()));
        var first = each["taskResults"]![0]!.AsObject();
        foreach (var member in new[] { "index", "item", "status", "attempts", "startedAt", "finishedAt", "output", "error" })
        {
            Assert.True(first.ContainsKey(member), $"a task result has no '{member}'");
        }

        Assert.Equal(1, first["attempts"]!.GetValue<int>());
        Assert.Equal(3, result["taskExecutions"]![1]!["taskResults"]![0]!["output"]!["parents"]!["each"]!.AsArray().Count);
    }

    [Fact]
    public async Task GetRun_UnknownAndHugeAndOddIds_404Problem()
    {
        foreach (var id in new[] { "nobody", new string('r', 3000), "a%2Fb", "%E2%9C%93", "r%20id", "r.", "-r" })
        {
            using var response = await _serve.Http.GetAsync($"api/runs/{id}");

            var body = await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound);
            Assert.StartsWith("unknown run '", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ListRuns_PipelineStatusAndTopFilters_NewestFirst()
    {
        foreach (var (pipeline, runId, input) in new[] { ("hello", "list-1", null), ("fan", "list-2", new JsonObject { ["items"] = new JsonArray(1) }), ("hello", "list-3", null) })
        {
            using var start = await _serve.StartAsync(pipeline, input, runId);
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            await _serve.WaitForRunAsync(runId);
        }

        using var longRun = await _serve.StartAsync("long", null, "list-4");
        await _serve.WaitForRunAsync("list-4", r => r.Status == RunStatus.Running);

        Assert.Equal(["list-4", "list-3", "list-2", "list-1"], await RunIdsAsync("api/runs"));
        Assert.Equal(["list-3", "list-1"], await RunIdsAsync("api/runs?pipeline=hello"));
        Assert.Equal(["list-3", "list-2", "list-1"], await RunIdsAsync("api/runs?status=Succeeded"));
        Assert.Equal(["list-4"], await RunIdsAsync("api/runs?status=running"));
        Assert.Equal(["list-3"], await RunIdsAsync("api/runs?pipeline=hello&status=Succeeded&top=1"));
        Assert.Empty(await RunIdsAsync("api/runs?pipeline=nothing"));

        using var summary = await _serve.Http.GetAsync("api/runs?top=1&status=Succeeded");
        var row = (await ProblemAssert.OkAsync(summary))["runs"]![0]!;
        Assert.Equal(("hello", "3", "durable"), (row["pipeline"]!.GetValue<string>(), row["version"]!.GetValue<string>(), row["runner"]!.GetValue<string>()));
        Assert.True(row["durationMs"]!.GetValue<long>() >= 0);
        using var cancel = await _serve.Http.PostAsync("api/runs/list-4/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
    }

    [Theory]
    [InlineData("status=Bogus", "$.status: 'Bogus' is not a status (one of Pending, Running, Succeeded, Failed, Cancelled, Terminated)")]
    [InlineData("status=1", "$.status: '1' is not a status (one of Pending, Running, Succeeded, Failed, Cancelled, Terminated)")]
    [InlineData("top=0", "$.top: '0' is not a whole number from 1 to 1000")]
    [InlineData("top=abc", "$.top: 'abc' is not a whole number from 1 to 1000")]
    [InlineData("top=99999999999999999999", "$.top: '99999999999999999999' is not a whole number from 1 to 1000")]
    public async Task ListRuns_BadFilter_400WithThePath(string query, string error)
    {
        using var response = await _serve.Http.GetAsync($"api/runs?{query}");

        Assert.Equal([error], await ProblemAssert.ErrorsAsync(response));
    }

    [Fact]
    public async Task ListRuns_BadStatusAndTop_400ListsBoth()
    {
        using var response = await _serve.Http.GetAsync("api/runs?status=Done&top=-1");

        Assert.Equal(["$.status", "$.top"], (await ProblemAssert.ErrorsAsync(response)).Select(e => e[..e.IndexOf(':', StringComparison.Ordinal)]));
    }

    [Fact]
    public async Task CancelRun_Running_202ThenTerminatedWithNotStartedResultsCancelled()
    {
        var items = new JsonArray([.. Enumerable.Range(0, 10).Select(i => (JsonNode)i)]);
        using var start = await _serve.StartAsync("slow-fan", new JsonObject { ["items"] = items }, "cancel-1");
        await _serve.WaitForProgressAsync("cancel-1", p => p.Results.Running + p.Results.Succeeded > 0);

        using var response = await _serve.Http.PostAsync("api/runs/cancel-1/cancel", null);

        var body = await ProblemAssert.OkAsync(response, HttpStatusCode.Accepted);
        Assert.Equal("cancel-1", body["runId"]!.GetValue<string>());
        Assert.Equal("/api/runs/cancel-1", response.Headers.Location?.OriginalString);
        var run = await _serve.WaitForRunAsync("cancel-1");
        Assert.Equal(RunStatus.Terminated, run.Status);
        var result = Assert.Single(run.PipelineResults);
        var each = result.TaskExecutions[0];
        Assert.Equal(10, each.TaskResults.Count);
        var notStarted = each.TaskResults.Where(r => r.Attempts == 0).ToList();
        Assert.True(notStarted.Count >= 7, $"only {notStarted.Count} results were not started");
        Assert.All(notStarted, r => Assert.Equal(RunStatus.Cancelled, r.Status));
        Assert.Equal(RunStatus.Cancelled, result.TaskExecutions[1].Status);
        Assert.Null(result.TaskExecutions[1].StartedAt);
    }

    [Fact]
    public async Task CancelRun_FinishedOrUnknown_409Or404()
    {
        using var start = await _serve.StartAsync("hello", null, "done-1");
        await _serve.WaitForRunAsync("done-1");

        using var finished = await _serve.Http.PostAsync("api/runs/done-1/cancel", null);
        using var unknown = await _serve.Http.PostAsync("api/runs/nobody/cancel", null);

        Assert.Equal("run 'done-1' already finished (Succeeded)", (await ProblemAssert.IsAsync(finished, HttpStatusCode.Conflict))["detail"]!.GetValue<string>());
        Assert.Equal("unknown run 'nobody'", (await ProblemAssert.IsAsync(unknown, HttpStatusCode.NotFound))["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task SuspendAndResume_Running_202ShowsSuspendedHoldsStartsThenFinishesWithTheActionsLogged()
    {
        var items = new JsonArray([.. Enumerable.Range(0, 6).Select(i => (JsonNode)i)]);
        using var start = await _serve.StartAsync("slow-fan", new JsonObject { ["items"] = items }, "suspend-1");
        await _serve.WaitForProgressAsync("suspend-1", p => p.Results.Running + p.Results.Succeeded > 0);

        using var suspend = await _serve.Http.PostAsync("api/runs/suspend-1/suspend", null);

        var body = await ProblemAssert.OkAsync(suspend, HttpStatusCode.Accepted);
        Assert.Equal("Suspending", body["status"]!.GetValue<string>());
        Assert.Equal("/api/runs/suspend-1", suspend.Headers.Location?.OriginalString);
        var held = await _serve.WaitForProgressAsync("suspend-1", p => p.Status == RunStatus.Suspended && p.Results.Running == 0);
        using var again = await _serve.Http.PostAsync("api/runs/suspend-1/suspend", null);
        Assert.Equal("run 'suspend-1' is already suspended", (await ProblemAssert.IsAsync(again, HttpStatusCode.Conflict))["detail"]!.GetValue<string>());
        using var get = await _serve.Http.GetAsync("api/runs/suspend-1");
        Assert.Equal("Suspended", (await ProblemAssert.OkAsync(get))["status"]!.GetValue<string>());

        // One slow result takes 300 ms: in a second, none starts while the run is suspended.
        await Task.Delay(1_000);
        var still = await _serve.WaitForProgressAsync("suspend-1", p => true);
        Assert.Equal((RunStatus.Suspended, held.Results.Succeeded, 0), (still.Status, still.Results.Succeeded, still.Results.Running));

        using var resume = await _serve.Http.PostAsync("api/runs/suspend-1/resume", null);
        Assert.Equal("Resuming", (await ProblemAssert.OkAsync(resume, HttpStatusCode.Accepted))["status"]!.GetValue<string>());
        var run = await _serve.WaitForRunAsync("suspend-1");

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal([StateAction.Suspended, StateAction.Resumed], run.OperatorActions.Select(a => a.Action));
        Assert.All(run.PipelineResults[0].TaskExecutions[0].TaskResults, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        using var log = await _serve.Http.GetAsync("api/runs/suspend-1/log");
        var rows = (await ProblemAssert.OkAsync(log))["rows"]!.AsArray();
        Assert.Equal(
            ["Suspended", "Resumed"],
            rows.Select(r => r!["action"]!.GetValue<string>()).Where(a => a is "Suspended" or "Resumed"));
        using var late = await _serve.Http.PostAsync("api/runs/suspend-1/resume", null);
        Assert.Equal("run 'suspend-1' already finished (Succeeded)", (await ProblemAssert.IsAsync(late, HttpStatusCode.Conflict))["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task SuspendAndResume_UnknownOrNotSuspended_404Or409()
    {
        using var start = await _serve.StartAsync("slow-fan", new JsonObject { ["items"] = new JsonArray(1, 2, 3) }, "resume-1");
        await _serve.WaitForProgressAsync("resume-1", p => p.Results.Running + p.Results.Succeeded > 0);

        using var notSuspended = await _serve.Http.PostAsync("api/runs/resume-1/resume", null);
        using var unknown = await _serve.Http.PostAsync("api/runs/nobody/suspend", null);

        Assert.Equal("run 'resume-1' is not suspended", (await ProblemAssert.IsAsync(notSuspended, HttpStatusCode.Conflict))["detail"]!.GetValue<string>());
        Assert.Equal("unknown run 'nobody'", (await ProblemAssert.IsAsync(unknown, HttpStatusCode.NotFound))["detail"]!.GetValue<string>());
        await _serve.WaitForRunAsync("resume-1");
    }

    [Fact]
    public async Task RaiseEvent_WaitingGate_202ThenTheRunGoesOnWithTheBody()
    {
        using var start = await _serve.StartAsync("gate", null, "gate-1");
        await _serve.WaitForProgressAsync("gate-1", p => p.RunningTasks.Contains("approve"));

        using var raise = await _serve.Http.PostAsync("api/runs/gate-1/events/approval", new StringContent("""{ "approvedBy": "ann" }"""));

        var body = await ProblemAssert.OkAsync(raise, HttpStatusCode.Accepted);
        Assert.Equal("approval", body["event"]!.GetValue<string>());
        var run = await _serve.WaitForRunAsync("gate-1");
        Assert.Equal(RunStatus.Succeeded, run.Status);
        var publish = run.PipelineResults[0].TaskExecutions[1];
        Assert.Equal("ann", publish.TaskResults[0].Output!["parents"]!["approve"]!["approvedBy"]!.GetValue<string>());
        using var late = await _serve.Http.PostAsync("api/runs/gate-1/events/approval", new StringContent("{}"));
        Assert.Equal("run 'gate-1' already finished (Succeeded)", (await ProblemAssert.IsAsync(late, HttpStatusCode.Conflict))["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task RaiseEvent_BadNameOrJsonOrUnknownRun_400Or404()
    {
        using var start = await _serve.StartAsync("gate", null, "gate-2");
        await _serve.WaitForProgressAsync("gate-2", p => p.RunningTasks.Contains("approve"));

        using var badJson = await _serve.Http.PostAsync("api/runs/gate-2/events/approval", new StringContent("{ nope"));
        using var badName = await _serve.Http.PostAsync("api/runs/gate-2/events/-oops", new StringContent("1"));
        using var unknown = await _serve.Http.PostAsync("api/runs/nobody/events/approval", new StringContent("1"));

        Assert.Equal(["$"], (await ProblemAssert.ErrorsAsync(badJson)).Select(e => e[..e.IndexOf(':', StringComparison.Ordinal)]));
        Assert.Equal(["$.name"], (await ProblemAssert.ErrorsAsync(badName)).Select(e => e[..e.IndexOf(':', StringComparison.Ordinal)]));
        Assert.Equal("unknown run 'nobody'", (await ProblemAssert.IsAsync(unknown, HttpStatusCode.NotFound))["detail"]!.GetValue<string>());
        using var raise = await _serve.Http.PostAsync("api/runs/gate-2/events/approval", null);
        Assert.Equal(HttpStatusCode.Accepted, raise.StatusCode);
        var run = await _serve.WaitForRunAsync("gate-2");
        Assert.Null(run.PipelineResults[0].TaskExecutions[0].TaskResults[0].Output);
    }

    [Fact]
    public async Task RepairResult_WaitingResult_RetryWithAnEditedConfigThenTheRunGoesOn()
    {
        using var start = await _serve.StartAsync("repairable", new JsonObject { ["items"] = new JsonArray(1, 2, 3) }, "repair-1");
        var progress = await _serve.WaitForProgressAsync("repair-1", p => p.WaitingCount == 1);
        var waiting = Assert.Single(progress.Waiting);
        Assert.Equal(("load", 1, "row 2 is malformed"), (waiting.Task, waiting.TaskResult, waiting.Error!.Message));
        using var live = await _serve.Http.GetAsync("api/runs/repair-1");
        Assert.Equal(1, (await ProblemAssert.OkAsync(live, HttpStatusCode.OK))["progress"]!["waitingCount"]!.GetValue<int>());

        using var retry = await _serve.Http.PostAsync("api/runs/repair-1/results/0/load/1/retry", new StringContent("""{ "by": "ann", "config": { "items": [] } }"""));

        var body = await ProblemAssert.OkAsync(retry, HttpStatusCode.Accepted);
        Assert.Equal(("load", 1, "retry"), (body["task"]!.GetValue<string>(), body["taskResult"]!.GetValue<int>(), body["action"]!.GetValue<string>()));
        var run = await _serve.WaitForRunAsync("repair-1");
        Assert.Equal(RunStatus.Succeeded, run.Status);
        var result = run.PipelineResults[0].TaskExecutions[0].TaskResults[1];
        Assert.Equal(2, result.Attempts);
        var action = Assert.Single(result.OperatorActions!);
        Assert.Equal((StateAction.RetriedByOperator, "ann"), (action.Action, action.By));
        var rows = (await _serve.GetLogAsync("repair-1")).Where(r => r.Task == "load" && r.TaskResult == 1).Select(r => (r.Action, r.Attempt, r.By)).ToList();
        Assert.Equal([(StateAction.Started, 1, null), (StateAction.WaitingForOperator, 1, null), (StateAction.RetriedByOperator, 1, "ann"), (StateAction.Started, 2, null), (StateAction.Succeeded, 2, null)], rows);
        using var late = await _serve.Http.PostAsync("api/runs/repair-1/results/0/load/1/skip", null);
        Assert.Equal("run 'repair-1' already finished (Succeeded)", (await ProblemAssert.IsAsync(late, HttpStatusCode.Conflict))["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task RepairResult_BadRequests_400Or404Or409_ThenASkipEndsTheWait()
    {
        using var start = await _serve.StartAsync("repairable", new JsonObject { ["items"] = new JsonArray(1, 2) }, "repair-2");
        await _serve.WaitForProgressAsync("repair-2", p => p.WaitingCount == 1);

        using var unknownRun = await _serve.Http.PostAsync("api/runs/nobody/results/0/load/1/skip", null);
        using var unknownAction = await _serve.Http.PostAsync("api/runs/repair-2/results/0/load/1/redo", null);
        using var unknownTask = await _serve.Http.PostAsync("api/runs/repair-2/results/0/lod/1/skip", null);
        using var badIndex = await _serve.Http.PostAsync("api/runs/repair-2/results/0/load/-1/skip", null);
        using var notWaiting = await _serve.Http.PostAsync("api/runs/repair-2/results/0/load/0/retry", null);
        using var wrongMember = await _serve.Http.PostAsync("api/runs/repair-2/results/0/load/1/skip", new StringContent("""{ "config": {}, "by": 7 }"""));
        using var badConfig = await _serve.Http.PostAsync("api/runs/repair-2/results/0/load/1/retry", new StringContent("""{ "config": { "times": "twice" } }"""));
        using var notJson = await _serve.Http.PostAsync("api/runs/repair-2/results/0/load/1/fail", new StringContent("{ nope"));

        Assert.Equal("unknown run 'nobody'", (await ProblemAssert.IsAsync(unknownRun, HttpStatusCode.NotFound))["detail"]!.GetValue<string>());
        Assert.StartsWith("unknown action 'redo'", (await ProblemAssert.IsAsync(unknownAction, HttpStatusCode.NotFound))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("unknown task 'lod' of pipeline 'repairable' (did you mean 'load'?)", (await ProblemAssert.IsAsync(unknownTask, HttpStatusCode.NotFound))["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, badIndex.StatusCode);
        Assert.Equal("result '0/load/0' of run 'repair-2' does not wait for an operator", (await ProblemAssert.IsAsync(notWaiting, HttpStatusCode.Conflict))["detail"]!.GetValue<string>());
        Assert.Equal(["$.config", "$.by"], (await ProblemAssert.ErrorsAsync(wrongMember)).Select(e => e[..e.IndexOf(':', StringComparison.Ordinal)]));
        Assert.Equal(["$.config.times"], (await ProblemAssert.ErrorsAsync(badConfig)).Select(e => e[..e.IndexOf(':', StringComparison.Ordinal)]));
        Assert.Equal(["$"], (await ProblemAssert.ErrorsAsync(notJson)).Select(e => e[..e.IndexOf(':', StringComparison.Ordinal)]));

        using var skip = await _serve.Http.PostAsync("api/runs/repair-2/results/0/load/1/skip", new StringContent("""{ "output": { "rows": 0 } }"""));
        Assert.Equal(HttpStatusCode.Accepted, skip.StatusCode);
        var run = await _serve.WaitForRunAsync("repair-2");
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(0, run.PipelineResults[0].TaskExecutions[0].TaskResults[1].Output!["rows"]!.GetValue<int>());
    }

    [Fact]
    public async Task GetRunLog_FinishedRun_RowsFromStartToEndWithEveryLevel()
    {
        using var start = await _serve.StartAsync("fan", new JsonObject { ["items"] = new JsonArray(1, 2) }, "log-1");
        await _serve.WaitForRunAsync("log-1");

        using var response = await _serve.Http.GetAsync("api/runs/log-1/log");

        var body = await ProblemAssert.OkAsync(response);
        Assert.Equal("log-1", body["runId"]!.GetValue<string>());
        var rows = body["rows"]!.AsArray();
        foreach (var member in new[] { "time", "pipelineResult", "task", "taskResult", "attempt", "action" })
        {
            Assert.True(rows[0]!.AsObject().ContainsKey(member), $"a log row has no '{member}'");
        }

        Assert.Equal("Started", rows[0]!["action"]!.GetValue<string>());
        Assert.Null(rows[0]!["task"]);
        Assert.Equal("Succeeded", rows[^1]!["action"]!.GetValue<string>());
        Assert.Null(rows[^1]!["pipelineResult"]);
        var results = rows.Where(r => r!["task"]?.GetValue<string>() == "each" && r["taskResult"] is not null && r["action"]!.GetValue<string>() == "Succeeded");
        Assert.Equal([0, 1], results.Select(r => r!["taskResult"]!.GetValue<int>()).Order());
        Assert.All(results, r => Assert.Equal(1, r!["attempt"]!.GetValue<int>()));
    }

    [Fact]
    public async Task GetRunLog_UnknownRun_404()
    {
        using var response = await _serve.Http.GetAsync("api/runs/nobody/log");

        Assert.Equal("unknown run 'nobody'", (await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound))["detail"]!.GetValue<string>());
    }

    private async Task<List<string>> RunIdsAsync(string url)
    {
        using var response = await _serve.Http.GetAsync(url);
        var body = await ProblemAssert.OkAsync(response);
        return [.. body["runs"]!.AsArray().Select(r => r!["runId"]!.GetValue<string>())];
    }
}
