using System.Text.Json.Nodes;
using DurablePipelines.LocalHost.Tests.Serve;
using DurablePipelines.Records;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests.Commands;

/// <summary><c>dp runs</c> against a real <c>dp serve</c> over Azurite: every verb, the tables, the JSON and the refusals.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class RunsCommandTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ServeApp _serve = null!;

    public async Task InitializeAsync() => _serve = await ServeApp.StartAsync(azurite);

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    private Task<CliResult> Dp(params string[] args) => Cli.RunAsync(["runs", .. args, "--url", _serve.BaseAddress.ToString()]);

    [Fact]
    public async Task ShowRetryShowLog_AWaitingResult_IsListedRetriedAndLogged()
    {
        using var start = await _serve.StartAsync("repairable", new JsonObject { ["items"] = new JsonArray(1, 2, 3) }, "cli-repair");
        await _serve.WaitForProgressAsync("cli-repair", p => p.WaitingCount == 1);

        var shown = await Dp("show", "cli-repair");
        var retried = await Dp("retry", "cli-repair", "0/load/1", "--config", """{ "items": [] }""", "--by", "ann");
        var run = await _serve.WaitForRunAsync("cli-repair");
        var logged = await Dp("show", "cli-repair", "--log");

        Assert.True(shown.Exit == 0, shown.ToString());
        Assert.StartsWith("run cli-repair: Running (pipeline repairable v1, runner durable", shown.OutLines[0], StringComparison.Ordinal);
        Assert.Contains("waiting for an operator (1; dp runs retry|skip|fail cli-repair RESULT):", shown.OutLines);
        Assert.Contains(shown.OutLines, l => l.StartsWith("0/load/1", StringComparison.Ordinal) && l.EndsWith("row 2 is malformed", StringComparison.Ordinal));
        Assert.Equal((0, "retry of result 0/load/1 of run cli-repair accepted"), (retried.Exit, retried.OutLines.Single()));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.True(logged.Exit == 0, logged.ToString());
        Assert.StartsWith("run cli-repair: Succeeded", logged.OutLines[0], StringComparison.Ordinal);
        Assert.Contains(logged.OutLines, l => l.EndsWith("[0] load[1] WaitingForOperator (attempt 1): row 2 is malformed", StringComparison.Ordinal));
        Assert.Contains(logged.OutLines, l => l.EndsWith("[0] load[1] RetriedByOperator by ann: row 2 is malformed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SkipAndFail_TheOperatorsOtherActions_EndTheirResults()
    {
        using var start = await _serve.StartAsync("repairable", new JsonObject { ["items"] = new JsonArray(2, 2) }, "cli-skip");
        await _serve.WaitForProgressAsync("cli-skip", p => p.WaitingCount == 2);

        var skipped = await Dp("skip", "cli-skip", "0/load/0", "--result-output", """{ "rows": 0 }""");
        var failed = await Dp("fail", "cli-skip", "0/load/1");
        var run = await _serve.WaitForRunAsync("cli-skip");

        Assert.Equal(0, skipped.Exit);
        Assert.Equal(0, failed.Exit);
        var results = run.PipelineResults[0].TaskExecutions[0].TaskResults;
        Assert.Equal((RunStatus.Succeeded, 0), (results[0].Status, results[0].Output!["rows"]!.GetValue<int>()));
        Assert.Equal(Environment.UserName, results[0].OperatorActions![0].By);
        Assert.Equal((RunStatus.Failed, StateAction.FailedByOperator), (results[1].Status, results[1].OperatorActions![0].Action));
    }

    [Fact]
    public async Task RaiseThenListThenRerun_AnApprovalGate()
    {
        using var start = await _serve.StartAsync("gate", null, "cli-gate");
        await _serve.WaitForProgressAsync("cli-gate", p => p.RunningTasks.Contains("approve"));

        var raised = await Dp("raise", "cli-gate", "approval", "--body", """{ "approvedBy": "ann" }""");
        var run = await _serve.WaitForRunAsync("cli-gate");
        var listed = await Dp("list", "--pipeline", "gate", "--output", "json");
        var table = await Dp("list", "--pipeline", "gate");
        var rerun = await Dp("rerun", "cli-gate", "--run-id", "cli-gate-2");
        var again = await _serve.WaitForRunAsync("cli-gate-2");

        Assert.Equal((0, "event approval raised on run cli-gate"), (raised.Exit, raised.OutLines.Single()));
        Assert.Equal("ann", run.PipelineResults[0].TaskExecutions[0].TaskResults[0].Output!["approvedBy"]!.GetValue<string>());
        Assert.Equal(0, listed.Exit);
        var runs = JsonNode.Parse(listed.Out)!["runs"]!.AsArray();
        Assert.Equal("cli-gate", Assert.Single(runs)!["runId"]!.GetValue<string>());
        Assert.Equal(["RUN", "PIPELINE", "STATUS", "CREATED", "DURATION", "ERROR"], table.OutLines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cli-gate  gate      Succeeded", table.OutLines[1], StringComparison.Ordinal);
        Assert.Equal(0, rerun.Exit);
        Assert.StartsWith("run cli-gate-2 reruns cli-gate: ", rerun.OutLines.Single(), StringComparison.Ordinal);
        Assert.Equal(("cli-gate", RunStatus.Succeeded), (again.RerunOf, again.Status));
    }

    [Fact]
    public async Task SuspendResumeCancel_ARunningRun()
    {
        using var start = await _serve.StartAsync("long", null, "cli-long");
        await _serve.WaitForProgressAsync("cli-long", p => p.RunningTasks.Contains("wait"));

        var suspended = await Dp("suspend", "cli-long");
        await _serve.WaitForProgressAsync("cli-long", p => p.Status == RunStatus.Suspended);
        var shown = await Dp("show", "cli-long", "-o", "json");
        var resumed = await Dp("resume", "cli-long");
        await _serve.WaitForProgressAsync("cli-long", p => p.Status == RunStatus.Running);
        var cancelled = await Dp("cancel", "cli-long");
        await _serve.WaitUntilTheEngineHasTheCancelAsync("cli-long");
        _serve.Held.Release();
        var run = await _serve.WaitForRunAsync("cli-long");

        Assert.Equal((0, "suspend of run cli-long accepted"), (suspended.Exit, suspended.OutLines.Single()));
        Assert.Equal("Suspended", JsonNode.Parse(shown.Out)!["status"]!.GetValue<string>());
        Assert.Equal((0, "resume of run cli-long accepted"), (resumed.Exit, resumed.OutLines.Single()));
        Assert.Equal((0, "cancel of run cli-long accepted"), (cancelled.Exit, cancelled.OutLines.Single()));
        Assert.Equal(RunStatus.Terminated, run.Status);
    }

    [Fact]
    public async Task Refusals_ShowTheHostsProblemOrTheReason_Exit2()
    {
        var unknown = await Dp("skip", "nobody", "0/load/1");
        var badAddress = await Dp("retry", "nobody", "0/load");
        var badBody = await Dp("raise", "nobody", "go", "--body", "{ nope");
        var badUrl = await Cli.RunAsync("runs", "list", "--url", "ftp://example.test");
        var unreachable = await Cli.RunAsync("runs", "list", "--url", "http://127.0.0.1:1");

        Assert.Equal((2, "dp runs: HTTP 404: unknown run 'nobody'"), (unknown.Exit, unknown.ErrorLines.Single()));
        Assert.Equal((2, "dp runs: result '0/load': give PIPELINERESULT/TASK/TASKRESULT, such as 0/load/3"), (badAddress.Exit, badAddress.ErrorLines.Single()));
        Assert.Equal(2, badBody.Exit);
        Assert.StartsWith("dp runs: --body is not valid JSON", badBody.ErrorLines.Single(), StringComparison.Ordinal);
        Assert.Equal((2, "dp runs: --url 'ftp://example.test' is not an http or https URL, such as http://127.0.0.1:7071"), (badUrl.Exit, badUrl.ErrorLines.Single()));
        Assert.Equal(2, unreachable.Exit);
        Assert.StartsWith("dp runs: cannot reach http://127.0.0.1:1/api/runs: ", unreachable.ErrorLines.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_SentAsTheFunctionsKeyHeader()
    {
        await using var guarded = await ServeApp.StartAsync(azurite, new Dictionary<string, string?> { ["Pipelines:ApiKey"] = "s3cret" });

        var without = await Cli.RunAsync("runs", "list", "--url", guarded.BaseAddress.ToString());
        var with = await Cli.RunAsync("runs", "list", "--url", guarded.BaseAddress.ToString(), "--key", "s3cret", "-o", "json");

        Assert.Equal(2, without.Exit);
        Assert.StartsWith("dp runs: HTTP 401", without.ErrorLines[0], StringComparison.Ordinal);
        Assert.Equal(0, with.Exit);
        Assert.Empty(JsonNode.Parse(with.Out)!["runs"]!.AsArray());
    }
}
