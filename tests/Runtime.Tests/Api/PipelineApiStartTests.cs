using System.Text;
using DurablePipelines.Api;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.Extensions.Logging;
using Moq;

namespace DurablePipelines.Tests.Api;

/// <summary>Starts over HTTP and the queue on the real API: the payloads a hostile client found, and the queue's verdicts.</summary>
public sealed class PipelineApiStartTests : IDisposable
{
    private static readonly Uri s_base = new("http://localhost/");
    private readonly ApiHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Theory]
    [InlineData("""{"input":{},"input":{"a":1}}""", "$.input: the key 'input' appears more than once in this object")]
    [InlineData("""{"runId":"\ud800x"}""", "$.runId: not valid UTF-16: \\ud800 is an unpaired surrogate")]
    [InlineData("""{"input":{"\ud800":1}}""", "$.input['\\ud800']: the key is not valid UTF-16: \\ud800 is an unpaired surrogate")]
    public async Task StartRunAsync_PayloadsThatGave500s_400WithThePathAndNothingStarts(string body, string error)
    {
        var answer = await StartAsync("hello", body);

        Assert.Equal(400, answer.StatusCode);
        Assert.Equal(Problems.ContentType, answer.ContentType);
        Assert.Equal("the request body is not a valid start", answer.Body!["detail"]!.GetValue<string>());
        Assert.Equal([error], answer.Body["errors"]!.AsArray().Select(e => e!["text"]!.GetValue<string>()));
        Assert.Empty(_harness.Scheduler.Scheduled);
    }

    [Fact]
    public async Task StartRunAsync_Input63LevelsDeep_400AtTheLevelPastTheLimit()
    {
        var answer = await StartAsync("hello", $$"""{"input":{{Nest(63)}}}""");

        Assert.Equal(400, answer.StatusCode);
        var error = Assert.Single(answer.Body!["errors"]!.AsArray())!;
        Assert.Equal("depth", error["code"]!.GetValue<string>());
        Assert.Equal($"$.input{string.Concat(Enumerable.Repeat(".a", 57))}", error["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartRunAsync_InputAtTheDepthLimit_202AndItsRecordIsStored()
    {
        var answer = await StartAsync("fan", $$"""{"input":{"items":[{{Nest(JsonLimits.MaxValueDepth - 2)}}]},"runId":"deep-1"}""");

        Assert.Equal(202, answer.StatusCode);
        var record = await _harness.Store.GetAsync("deep-1", default);
        Assert.Equal(JsonLimits.MaxValueDepth, JsonLimits.DepthOf(record!.Input));
    }

    [Theory]
    [InlineData("""{"pipeline":"hello","input":{},"input":{"a":1}}""", "$.input: the key 'input' appears more than once in this object")]
    [InlineData("""{"pipeline":"hello","runId":"\ud800x"}""", "$.runId: not valid UTF-16: \\ud800 is an unpaired surrogate")]
    [InlineData("""{"pipeline":"hello","input":{"\ud800":1}}""", "$.input['\\ud800']: the key is not valid UTF-16: \\ud800 is an unpaired surrogate")]
    [InlineData("""{"pipeline":"helo"}""", "unknown pipeline 'helo' (did you mean 'hello'?)")]
    [InlineData("""{"pipeline":"fan","input":{"items":5}}""", "$.input: iterator of task 'each': iterator 'input.items' must give an array, not number")]
    [InlineData("""{"pipeline":"keyed","input":{}}""", "$.input: runIdFrom 'k-{input.id}': {input.id} is missing from the input or not a plain value")]
    [InlineData("this is { not json", "$: not valid JSON: 'this is { not json' is an invalid JSON literal. Expected the literal 'true'. LineNumber: 0 | BytePositionInLine: 1.")]
    public async Task StartFromQueueAsync_MessageThatCanNeverStart_PoisonedWithItsReason(string message, string reason)
    {
        var outcome = await _harness.Api.StartFromQueueAsync(message, default);

        Assert.Equal(new QueueStartOutcome(QueueStartDisposition.Poison, null, reason), outcome);
        Assert.Empty(_harness.Scheduler.Scheduled);
    }

    [Fact]
    public async Task StartFromQueueAsync_Input63LevelsDeep_PoisonedNotRetried()
    {
        var outcome = await _harness.Api.StartFromQueueAsync($$"""{"pipeline":"hello","input":{{Nest(63)}}}""", default);

        Assert.Equal(QueueStartDisposition.Poison, outcome.Disposition);
        Assert.EndsWith(": nests deeper than 57 levels, the limit for a run's input", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartFromQueueAsync_MessageOverMaxRequestBytes_Poisoned()
    {
        using var small = new ApiHarness(configure: o => o.MaxRequestBytes = 1024);

        var outcome = await small.Api.StartFromQueueAsync($$"""{"pipeline":"hello","input":"{{new string('x', 1100)}}"}""", default);

        Assert.Equal(new QueueStartOutcome(QueueStartDisposition.Poison, null, "the message is larger than the limit of 1024 bytes (Pipelines:MaxRequestBytes)"), outcome);
    }

    [Fact]
    public async Task StartFromQueueAsync_ManyErrors_ReasonStaysShortAndCountsTheRest()
    {
        var message = "{\"pipeline\":\"hello\",\"input\":{" + string.Join(",", Enumerable.Repeat($"\"{new string('k', 60)}\":1", 100)) + "}}";

        var outcome = await _harness.Api.StartFromQueueAsync(message, default);

        Assert.Equal(QueueStartDisposition.Poison, outcome.Disposition);
        Assert.InRange(outcome.Reason!.Length, 1, 9 * 1024);
        Assert.Matches(@"; and \d+ more$", outcome.Reason);
    }

    [Fact]
    public async Task StartFromQueueAsync_StoreFails_RetriedWithTheFailure()
    {
        var store = new Mock<IRunStore>();
        store.Setup(s => s.TryCreateAsync(It.IsAny<PipelineExecution>(), It.IsAny<RunPipelineInput?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("storage unreachable"));
        using var harness = new ApiHarness(store.Object);

        var outcome = await harness.Api.StartFromQueueAsync("""{"pipeline":"hello","input":{}}""", default);

        Assert.Equal(new QueueStartOutcome(QueueStartDisposition.Retry, null, "IOException: storage unreachable"), outcome);
    }

    [Fact]
    public async Task StartRunAsync_PinFails_202TheRunRunsAWarningSaysSoAndItsRerunIsRefused()
    {
        var inner = new StoringRunStore();
        var store = new Mock<IRunStore>();
        store.Setup(s => s.TryCreateAsync(It.IsAny<PipelineExecution>(), It.IsAny<RunPipelineInput?>(), It.IsAny<CancellationToken>()))
            .Returns((PipelineExecution r, RunPipelineInput? a, CancellationToken c) => inner.TryCreateAsync(r, a, c));
        store.Setup(s => s.PinAsync(It.IsAny<RunPipelineInput>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("storage unreachable"));
        store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns((string id, CancellationToken c) => inner.GetAsync(id, c));
        store.Setup(s => s.GetPinnedAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns((string id, CancellationToken c) => inner.GetPinnedAsync(id, c));
        using var logs = new RecordingLoggerProvider();
        using var harness = new ApiHarness(store.Object, logs: logs);

        var answer = await StartAsync(harness, "hello", """{"runId":"p-1"}""");

        Assert.Equal(202, answer.StatusCode);
        Assert.Equal("p-1", Assert.Single(harness.Scheduler.Scheduled).RunId);
        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal("Run p-1 started, but the definition and input it runs with could not be kept for a rerun; a rerun of it will be refused", warning.Message);
        Assert.IsType<IOException>(warning.Exception);

        var record = (await inner.GetAsync("p-1", default))!;
        await inner.SaveAsync(record with { Status = RunStatus.Failed }, default);
        var rerun = await harness.Api.RerunAsync("p-1", new MemoryStream(), s_base, default);
        Assert.Equal(409, rerun.StatusCode);
        Assert.Equal(
            "run 'p-1' cannot be rerun: the definition it ran with was not kept (it started before runs kept theirs, or keeping it failed: see the log of the host that started it)",
            rerun.Body!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartFromQueueAsync_RunIdOfAnActiveRun_AcceptedWithoutASecondRun()
    {
        await _harness.Api.StartFromQueueAsync("""{"pipeline":"hello","runId":"q-1"}""", default);

        var outcome = await _harness.Api.StartFromQueueAsync("""{"pipeline":"hello","runId":"q-1"}""", default);

        Assert.Equal(new QueueStartOutcome(QueueStartDisposition.Accepted, "q-1", "a run with this id is already active"), outcome);
        Assert.Single(_harness.Scheduler.Scheduled);
    }

    [Theory]
    [InlineData("Pending,Running", null, "$.status: 'Pending,Running' is not a status (one of Pending, Running, Succeeded, Failed, Cancelled, Terminated)")]
    [InlineData("1", null, "$.status: '1' is not a status (one of Pending, Running, Succeeded, Failed, Cancelled, Terminated)")]
    [InlineData(null, "+5", "$.top: '+5' is not a whole number from 1 to 1000")]
    [InlineData(null, " 5", "$.top: ' 5' is not a whole number from 1 to 1000")]
    [InlineData(null, "٣", "$.top: '٣' is not a whole number from 1 to 1000")]
    public async Task ListRunsAsync_LooseQueryValues_400(string? status, string? top, string error)
    {
        var answer = await _harness.Api.ListRunsAsync(null, status, top, default);

        Assert.Equal(400, answer.StatusCode);
        Assert.Equal([error], answer.Body!["errors"]!.AsArray().Select(e => e!["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ListRunsAsync_StatusInAnyCase_200()
    {
        var answer = await _harness.Api.ListRunsAsync(null, "pENDING", "5", default);

        Assert.Equal(200, answer.StatusCode);
    }

    private static string Nest(int levels) => string.Concat(Enumerable.Repeat("{\"a\":", levels - 1)) + "{}" + new string('}', levels - 1);

    private Task<ApiResponse> StartAsync(string pipeline, string body) => StartAsync(_harness, pipeline, body);

    private static async Task<ApiResponse> StartAsync(ApiHarness harness, string pipeline, string body)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body));
        return await harness.Api.StartRunAsync(pipeline, stream, s_base, default);
    }
}
