using System.Text;
using System.Text.Json.Nodes;
using DurablePipelines.Api;
using DurablePipelines.Definitions;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Api;

/// <summary><c>POST /api/runs/{runId}/rerun</c> on the real API: the run it starts, and every refusal.</summary>
public sealed class PipelineApiRerunTests : IDisposable
{
    private static readonly Uri s_base = new("http://localhost/");
    private readonly ApiHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task RerunAsync_FinishedRun_202AndTheNewRunHasThePinnedDefinitionInputAndResultsToReuse()
    {
        // The run was admitted with a definition of 'fan' that differs from today's catalog ('old-each').
        var pinned = new PipelineBuilder("fan").Task("old-each", "echo", t => t.ForEach("input.items")).Build();
        var failed = await FinishedRunAsync("src-1", pinned, RunStatus.Failed);

        var answer = await RerunAsync("src-1", """{"runId":"again-1"}""");

        Assert.Equal(202, answer.StatusCode);
        Assert.Equal("/api/runs/again-1", answer.Location);
        Assert.Equal("again-1", answer.Body!["runId"]!.GetValue<string>());
        Assert.Equal("src-1", answer.Body["rerunOf"]!.GetValue<string>());
        Assert.Equal("fan", answer.Body["pipeline"]!.GetValue<string>());
        Assert.Equal("http://localhost/api/runs/again-1", answer.Body["statusUrl"]!.GetValue<string>());
        var run = Assert.Single(_harness.Scheduler.Scheduled, r => r.RunId == "again-1");
        Assert.Equal(["old-each"], run.Definition.Tasks.Select(t => t.Name));
        Assert.True(JsonNode.DeepEquals(failed.Input, run.Input));
        Assert.Equal("src-1", run.Rerun!.SourceRunId);
        Assert.Equal("src-1", run.Rerun.PipelineResults[0].TaskExecutions[0].TaskResults[0].ReusedFrom);
        Assert.Null(run.Rerun.PipelineResults[0].TaskExecutions[0].TaskResults[1].ReusedFrom);
        var record = await _harness.Store.GetAsync("again-1", default);
        Assert.Equal(RunStatus.Pending, record!.Status);
        Assert.Equal("src-1", record.RerunOf);
    }

    [Fact]
    public async Task RerunAsync_EmptyBodyOfASucceededRun_202UnderAGeneratedId()
    {
        await FinishedRunAsync("done-1", new PipelineBuilder("fan").Task("each", "echo", t => t.ForEach("input.items")).Build(), RunStatus.Succeeded);

        var answer = await RerunAsync("done-1", string.Empty);

        Assert.Equal(202, answer.StatusCode);
        var runId = answer.Body!["runId"]!.GetValue<string>();
        Assert.Matches("^fan-[0-9]{14}-[0-9a-f]{8}$", runId);
        Assert.Equal("done-1", Assert.Single(_harness.Scheduler.Scheduled, r => r.RunId == runId).Rerun!.SourceRunId);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("not a run id!")]
    public async Task RerunAsync_UnknownRun_404(string runId)
    {
        var answer = await RerunAsync(runId, string.Empty);

        Assert.Equal(404, answer.StatusCode);
        Assert.Equal($"unknown run '{runId}'", answer.Body!["detail"]!.GetValue<string>());
        Assert.Empty(_harness.Scheduler.Scheduled);
    }

    [Fact]
    public async Task RerunAsync_ActiveRun_409()
    {
        Assert.Equal(202, (await _harness.Api.StartRunAsync("hello", Body("""{"runId":"busy-1"}"""), s_base, default)).StatusCode);

        var answer = await RerunAsync("busy-1", string.Empty);

        Assert.Equal(409, answer.StatusCode);
        Assert.Equal("run 'busy-1' is still active (Pending); only a finished run can be rerun", answer.Body!["detail"]!.GetValue<string>());
        Assert.Single(_harness.Scheduler.Scheduled);
    }

    [Fact]
    public async Task RerunAsync_RunWhoseDefinitionWasNotKept_409()
    {
        var record = RunRecords.Pending(Admitted("old-1", new PipelineBuilder("hello").Task("say", "echo").Build()));
        await _harness.Store.TryCreateAsync(record, admitted: null, default);
        await _harness.Store.SaveAsync(record with { Status = RunStatus.Failed }, default);

        var answer = await RerunAsync("old-1", string.Empty);

        Assert.Equal(409, answer.StatusCode);
        Assert.Equal("run 'old-1' cannot be rerun: the definition it ran with was not kept (it started before runs kept theirs, or keeping it failed: see the log of the host that started it)", answer.Body!["detail"]!.GetValue<string>());
        Assert.Empty(_harness.Scheduler.Scheduled);
    }

    [Fact]
    public async Task RerunAsync_NewRunIdHeldByAnActiveRun_409()
    {
        await FinishedRunAsync("src-2", new PipelineBuilder("hello").Task("say", "echo").Build(), RunStatus.Failed);
        Assert.Equal(202, (await _harness.Api.StartRunAsync("hello", Body("""{"runId":"taken-1"}"""), s_base, default)).StatusCode);

        var answer = await RerunAsync("src-2", """{"runId":"taken-1"}""");

        Assert.Equal(409, answer.StatusCode);
        Assert.Equal("run 'taken-1' is still active (Pending); pipeline 'hello' does not allow multilaunch", answer.Body!["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"input":{"items":[1]}}""", "$.input: a rerun runs the input of the run it reruns: only 'runId' may be given")]
    [InlineData("""{"runId":"bad id"}""", "$.runId: 'bad id' is not a valid run id (letters, digits, '-', '_' and '.', starting with a letter or digit, at most 100)")]
    [InlineData("""[1]""", "$: the body must be a JSON object { \"input\": …, \"runId\": … }")]
    public async Task RerunAsync_BadBody_400WithThePath(string body, string error)
    {
        await FinishedRunAsync("src-3", new PipelineBuilder("hello").Task("say", "echo").Build(), RunStatus.Failed);

        var answer = await RerunAsync("src-3", body);

        Assert.Equal(400, answer.StatusCode);
        Assert.Equal([error], answer.Body!["errors"]!.AsArray().Select(e => e!["text"]!.GetValue<string>()));
        Assert.Empty(_harness.Scheduler.Scheduled);
    }

    private Task<ApiResponse> RerunAsync(string runId, string body) => _harness.Api.RerunAsync(runId, Body(body), s_base, default);

    private static MemoryStream Body(string text) => new(Encoding.UTF8.GetBytes(text));

    private static RunPipelineInput Admitted(string runId, PipelineDefinition definition) => new()
    {
        RunId = runId,
        Definition = definition,
        Input = new JsonObject { ["items"] = new JsonArray(1, 2) },
        Runner = "recording",
        CreatedAt = new DateTime(2026, 12, 5, 10, 0, 0, DateTimeKind.Utc),
    };

    /// <summary>A run admitted with <paramref name="definition"/> that ended <paramref name="status"/>: result 0 succeeded, result 1 did not.</summary>
    private async Task<PipelineExecution> FinishedRunAsync(string runId, PipelineDefinition definition, RunStatus status)
    {
        var admitted = Admitted(runId, definition);
        Assert.True((await _harness.Store.TryCreateAsync(RunRecords.Pending(admitted), admitted, default)).Created);
        await _harness.Store.PinAsync(admitted, default);
        var record = RunRecords.Pending(admitted) with
        {
            Status = status,
            PipelineResults =
            [
                new PipelineResult
                {
                    Index = 0,
                    Status = status,
                    TaskExecutions =
                    [
                        new TaskExecution
                        {
                            Task = definition.Tasks[0].Name,
                            Status = status,
                            TaskResults =
                            [
                                new TaskResult { Index = 0, Item = 1, Status = RunStatus.Succeeded, Attempts = 1, Output = 1 },
                                new TaskResult { Index = 1, Item = 2, Status = status == RunStatus.Succeeded ? RunStatus.Succeeded : RunStatus.Failed, Attempts = 1 },
                            ],
                        },
                    ],
                },
            ],
        };
        await _harness.Store.SaveAsync(record, default);
        return record;
    }
}
