using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DurablePipelines.Records;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests.Serve;

/// <summary><c>POST /api/pipelines/{name}/runs</c> on the real host over Azurite: every answer of docs/api.md.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ApiEndpointsStartTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ServeApp _serve = null!;

    public async Task InitializeAsync() => _serve = await ServeApp.StartAsync(azurite);

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    [Fact]
    public async Task StartRun_ValidBody_202WithLocationLinksAndTheRunSucceeds()
    {
        using var response = await _serve.StartAsync("hello", new JsonObject { ["who"] = "ada" }, "hello-1");

        var body = await ProblemAssert.OkAsync(response, HttpStatusCode.Accepted);
        Assert.Equal("/api/runs/hello-1", response.Headers.Location?.OriginalString);
        Assert.Equal("hello-1", body["runId"]!.GetValue<string>());
        Assert.Equal($"{_serve.BaseAddress}api/runs/hello-1", body["statusUrl"]!.GetValue<string>());
        Assert.Equal($"{_serve.BaseAddress}api/runs/hello-1/cancel", body["cancelUrl"]!.GetValue<string>());
        var run = await _serve.WaitForRunAsync("hello-1");
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("ada", run.PipelineResults[0].TaskExecutions[0].TaskResults[0].Output!["input"]!["who"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartRun_EmptyBody_202WithAGeneratedRunId()
    {
        using var response = await _serve.StartAsync("hello", string.Empty);

        var body = await ProblemAssert.OkAsync(response, HttpStatusCode.Accepted);
        var runId = body["runId"]!.GetValue<string>();
        Assert.StartsWith("hello-", runId, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Succeeded, (await _serve.WaitForRunAsync(runId)).Status);
    }

    [Fact]
    public async Task StartRun_InvalidJson_400WithTheSyntaxErrorAtTheRoot()
    {
        using var response = await _serve.StartAsync("hello", "{ \"input\": ");

        var errors = await ProblemAssert.ErrorsAsync(response);
        Assert.StartsWith("$: not valid JSON: ", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRun_UnknownMemberAndRunIdNotAString_400ListsEveryError()
    {
        using var response = await _serve.StartAsync("hello", """{ "inpt": {}, "runId": 5, "extra": true }""");

        Assert.Equal(
            [
                "$.inpt: unknown member 'inpt' (did you mean 'input'?)",
                "$.extra: unknown member 'extra'",
                "$.runId: 'runId' must be a string",
            ],
            await ProblemAssert.ErrorsAsync(response));
    }

    [Fact]
    public async Task StartRun_InvalidRunIdAndInputIteratorNotAnArray_400ListsBothWithPaths()
    {
        using var response = await _serve.StartAsync("fan", new JsonObject { ["items"] = "not a list" }, "bad id!");

        var body = await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("pipeline 'fan' cannot start with this input", body["detail"]!.GetValue<string>());
        Assert.Equal(
            [
                "$.runId: 'bad id!' is not a valid run id (letters, digits, '-', '_' and '.', starting with a letter or digit, at most 100)",
                "$.input: iterator of task 'each': iterator 'input.items' must give an array, not string",
            ],
            body["errors"]!.AsArray().Select(e => e!["text"]!.GetValue<string>()));
        Assert.Null(await _serve.GetRunAsync("bad id!"));
    }

    [Fact]
    public async Task StartRun_UnknownPipeline_404WithDidYouMean()
    {
        using var response = await _serve.StartAsync("helo", "{}");

        var body = await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("unknown pipeline 'helo' (did you mean 'hello'?)", body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartRun_RunIdOfAnActiveRun_409ThenAcceptedOnceItFinished()
    {
        using var first = await _serve.StartAsync("sleepy", null, "nap-1");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        using var second = await _serve.StartAsync("sleepy", null, "nap-1");

        var body = await ProblemAssert.IsAsync(second, HttpStatusCode.Conflict);
        Assert.StartsWith("run 'nap-1' is still active (", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("); pipeline 'sleepy' does not allow multilaunch", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var finished = await _serve.WaitForRunAsync("nap-1");
        Assert.Equal(RunStatus.Succeeded, finished.Status);

        using var third = await _serve.StartAsync("sleepy", null, "nap-1");

        Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
        var again = await _serve.WaitForRunAsync("nap-1", r => r.CreatedAt > finished.CreatedAt && r.Status.IsFinal());
        Assert.Equal(RunStatus.Succeeded, again.Status);
    }

    [Fact]
    public async Task StartRun_MultilaunchWithAnActiveRunId_202WithAFreshRunId()
    {
        using var first = await _serve.StartAsync("multi", null, "multi-1");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        using var second = await _serve.StartAsync("multi", null, "multi-1");

        var body = await ProblemAssert.OkAsync(second, HttpStatusCode.Accepted);
        var fresh = body["runId"]!.GetValue<string>();
        Assert.StartsWith("multi-1-", fresh, StringComparison.Ordinal);
        Assert.Equal($"/api/runs/{fresh}", second.Headers.Location?.OriginalString);
        Assert.Equal(RunStatus.Succeeded, (await _serve.WaitForRunAsync(fresh)).Status);
        Assert.Equal(RunStatus.Succeeded, (await _serve.WaitForRunAsync("multi-1")).Status);
    }

    [Fact]
    public async Task StartRun_BodyOverMaxRequestBytes_413BothJustOverAndFarOverTheLimit()
    {
        await using var small = await ServeApp.StartAsync(azurite, new Dictionary<string, string?> { ["Pipelines:MaxRequestBytes"] = "2048" });
        var fits = $$"""{ "input": { "pad": "{{new string('x', 1900)}}" } }""";
        var justOver = $$"""{ "input": { "pad": "{{new string('x', 2100)}}" } }""";
        var farOver = $$"""{ "input": { "pad": "{{new string('x', 3_000_000)}}" } }""";

        using var accepted = await small.StartAsync("hello", fits);
        using var over = await small.StartAsync("hello", justOver);

        // A client sending megabytes asks first, as curl does for large bodies: the host answers 413 from the
        // headers and the body is never sent. Without it the answer is the same, but the host may close the
        // connection while the client is still sending, which the client then sees as a reset, not as the 413.
        using var farRequest = new HttpRequestMessage(HttpMethod.Post, "api/pipelines/hello/runs") { Content = new StringContent(farOver, Encoding.UTF8, "application/json") };
        farRequest.Headers.ExpectContinue = true;
        using var far = await small.Http.SendAsync(farRequest);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        foreach (var response in new[] { over, far })
        {
            var body = await ProblemAssert.IsAsync(response, HttpStatusCode.RequestEntityTooLarge);
            Assert.Equal("the body is larger than the limit of 2048 bytes (Pipelines:MaxRequestBytes)", body["detail"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task StartRun_HugeRunId_400NotAValidRunId()
    {
        using var response = await _serve.StartAsync("hello", null, new string('a', 5000));

        var errors = await ProblemAssert.ErrorsAsync(response);
        Assert.StartsWith("$.runId: 'aaaa", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1, 2, 3]", "$: the body must be a JSON object { \"input\": …, \"runId\": … }")]
    [InlineData("\"just a string\"", "$: the body must be a JSON object { \"input\": …, \"runId\": … }")]
    [InlineData("<start><input/></start>", "$: not valid JSON: ")]
    [InlineData("input=1&runId=x", "$: not valid JSON: ")]
    public async Task StartRun_WrongContent_400NeverA500(string body, string error)
    {
        using var response = await _serve.Http.PostAsync("api/pipelines/hello/runs", new StringContent(body, Encoding.UTF8, "text/plain"));

        Assert.StartsWith(error, Assert.Single(await ProblemAssert.ErrorsAsync(response)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRun_BinaryBody_400NeverA500()
    {
        using var content = new ByteArrayContent([0xFF, 0xFE, 0x00, 0x80, 0xC3, 0x28]);
        content.Headers.ContentType = new("application/octet-stream");

        using var response = await _serve.Http.PostAsync("api/pipelines/hello/runs", content);

        Assert.StartsWith("$: not valid JSON: ", Assert.Single(await ProblemAssert.ErrorsAsync(response)), StringComparison.Ordinal);
    }
}
