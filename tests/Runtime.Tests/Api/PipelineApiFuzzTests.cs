using System.Text;
using CsCheck;
using DurablePipelines.Api;
using DurablePipelines.Records;
using DurablePipelines.TestSupport.Fuzz;

namespace DurablePipelines.Tests.Api;

/// <summary>
/// A hostile client against the real API: a thousand requests (bodies, route values, query strings) and three
/// hundred queue messages, generated from a fixed seed. No answer is a 5xx or an exception; every refusal is
/// problem+json with a detail (and, for a 400, every error with a path); every accepted start is stored as the
/// blob store writes it; every message starts a run, finds its run active, or is poisoned with a reason.
/// </summary>
public sealed class PipelineApiFuzzTests : IDisposable
{
    private const string Seed = "0000001diBz7";
    private static readonly Uri s_base = new("http://localhost/");

    private readonly ApiHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    /// <summary>One request as a host would make it.</summary>
    public abstract record Request;

    public sealed record Start(string Pipeline, byte[] Body) : Request
    {
        public override string ToString() => $"POST /api/pipelines/{Pipeline}/runs {Encoding.UTF8.GetString(Body)}";
    }

    public sealed record ForRun(string Verb, string RunId) : Request;

    public sealed record List(string? Pipeline, string? Status, string? Top) : Request;

    public sealed record Describe(string Name) : Request;

    [Fact]
    public async Task Requests_HostileBodiesRoutesAndQueries_NeverA5xxAndEveryRefusalIsAProblem()
    {
        var requests = Gen.Frequency<Request>(
            (6, Gen.Select(Gen.Frequency((8, Gen.OneOf(HostileJson.PipelineNames)), (1, HostileJson.RouteValue)), HostileJson.Bytes(HostileJson.Start(withPipeline: false)), (p, b) => (Request)new Start(p, b))),
            (2, Gen.Select(Gen.OneOf("hello", "fan"), HostileJson.CleanStart(withPipeline: false), (p, b) => (Request)new Start(p, Encoding.UTF8.GetBytes(b)))),
            (1, Gen.Select(Gen.OneOf("get", "log", "cancel"), HostileJson.RouteValue, (v, id) => (Request)new ForRun(v, id))),
            (1, Gen.Select(HostileJson.QueryValue, HostileJson.QueryValue, HostileJson.QueryValue, (p, s, t) => (Request)new List(p, s, t))),
            (1, HostileJson.RouteValue.Select(n => (Request)new Describe(n))));
        var statuses = new Dictionary<int, int>();

        await FixedSample.RunAsync(requests, Seed, 1000, async request =>
        {
            var answer = await SendAsync(request);
            statuses[answer.StatusCode] = statuses.GetValueOrDefault(answer.StatusCode) + 1;
            AssertAnswer(answer);
            if (request is Start && answer.StatusCode == 202)
            {
                var runId = answer.Body!["runId"]!.GetValue<string>();
                Assert.Equal(200, (await _harness.Api.GetRunAsync(runId, default)).StatusCode);
            }
        }, r => r.ToString());

        // The generators reach every answer a start can get, so the checks above ran on each of them.
        Assert.All(new[] { 200, 202, 400, 404, 409 }, code => Assert.True(statuses.GetValueOrDefault(code) > 10, $"only {statuses.GetValueOrDefault(code)} answers {code}: {string.Join(", ", statuses)}"));
    }

    [Fact]
    public async Task StartFromQueueAsync_HostileMessages_EachStartsFindsItsRunOrIsPoisonedAndNoneIsLost()
    {
        var messages = Gen.Frequency(
            (6, HostileJson.Start(withPipeline: true)),
            (3, HostileJson.CleanStart(withPipeline: true)),
            (1, Gen.OneOf("{\"pipeline\":\"hello\",\"input\":\"\ud800\"}", "\u0000", "{\"pipeline\":\"hello\"}\udc00")));
        var (started, active, poisoned) = (0, 0, 0);

        await FixedSample.RunAsync(messages, Seed, 300, async message =>
        {
            var before = _harness.Scheduler.Scheduled.Count;
            var outcome = await _harness.Api.StartFromQueueAsync(message, default);
            switch (outcome.Disposition)
            {
                case QueueStartDisposition.Accepted when outcome.Reason is null:
                    Assert.Equal(before + 1, _harness.Scheduler.Scheduled.Count);
                    Assert.Equal(outcome.RunId, _harness.Scheduler.Scheduled[^1].RunId);
                    started++;
                    break;
                case QueueStartDisposition.Accepted:
                    Assert.Equal(before, _harness.Scheduler.Scheduled.Count);
                    Assert.Contains(_harness.Scheduler.Scheduled, r => r.RunId == outcome.RunId);
                    active++;
                    break;
                case QueueStartDisposition.Poison:
                    Assert.Equal(before, _harness.Scheduler.Scheduled.Count);
                    Assert.False(string.IsNullOrWhiteSpace(outcome.Reason));
                    poisoned++;
                    break;
                default:
                    Assert.Fail($"a message that cannot pass on a retry was retried: {outcome.Reason}");
                    break;
            }
        });

        Assert.Equal(300, started + active + poisoned);
        Assert.Equal(started, _harness.Scheduler.Scheduled.Count);
        Assert.All(new[] { started, active, poisoned }, n => Assert.True(n > 10, $"started {started}, active {active}, poisoned {poisoned}"));
    }

    private static void AssertAnswer(ApiResponse answer)
    {
        Assert.InRange(answer.StatusCode, 200, 499);

        // Both hosts write the body out: the local host with a plain writer, the Function App with the options.
        _ = answer.Body?.ToJsonString();
        _ = answer.Body?.ToJsonString(PipelineJson.Options);
        if (answer.StatusCode < 400)
        {
            return;
        }

        Assert.Equal(Problems.ContentType, answer.ContentType);
        Assert.Equal(answer.StatusCode, answer.Body!["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(answer.Body["detail"]!.GetValue<string>()));
        if (answer.StatusCode == 400)
        {
            Assert.All(answer.Body["errors"]!.AsArray(), e =>
            {
                Assert.StartsWith("$", e!["path"]!.GetValue<string>(), StringComparison.Ordinal);
                Assert.False(string.IsNullOrWhiteSpace(e["message"]!.GetValue<string>()));
            });
        }
    }

    private async Task<ApiResponse> SendAsync(Request request)
    {
        switch (request)
        {
            case Start start:
                using (var body = new MemoryStream(start.Body))
                {
                    return await _harness.Api.StartRunAsync(start.Pipeline, body, s_base, default);
                }

            case ForRun { Verb: "get" } run:
                return await _harness.Api.GetRunAsync(run.RunId, default);
            case ForRun { Verb: "log" } run:
                return await _harness.Api.GetRunLogAsync(run.RunId, default);
            case ForRun run:
                return await _harness.Api.CancelRunAsync(run.RunId, default);
            case List list:
                return await _harness.Api.ListRunsAsync(list.Pipeline, list.Status, list.Top, default);
            case Describe describe:
                return describe.Name.Length % 2 == 0 ? _harness.Api.GetPipeline(describe.Name) : _harness.Api.ListPipelines();
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request, "unknown request");
        }
    }
}
