using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DurablePipelines.Records;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests.Serve;

/// <summary>
/// The real host while its Azurite is stopped and started again: every storage-backed route answers 503 problem+json
/// with <c>Retry-After</c> within seconds, a run going on meanwhile is not harmed, and the API answers again once
/// storage is back. The class has an Azurite of its own, since it stops it; it joins the Azurite collection only
/// to run while no other Azurite test does.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ApiEndpointsOutageTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan s_quick = TimeSpan.FromSeconds(3);

    private readonly AzuriteFixture _azurite = new();
    private ServeApp _serve = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _serve = await ServeApp.StartAsync(_azurite);
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    public void Dispose() => _azurite.Dispose();

    [Fact]
    public async Task StorageStopped_EveryStorageRoute503WithRetryAfterWithinSeconds_RunGoesOnAndTheApiAnswersAgainAfterRestart()
    {
        using (var before = await _serve.StartAsync("hello", new JsonObject(), "before"))
        {
            Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);
        }

        await _serve.WaitForRunAsync("before");
        using (var through = await _serve.StartAsync("sleepy", new JsonObject(), "through"))
        {
            Assert.Equal(HttpStatusCode.Accepted, through.StatusCode);
        }

        await _serve.WaitForRunAsync("through", r => r.Status == RunStatus.Running);

        await _azurite.StopAsync();

        foreach (var (method, path) in new[]
        {
            ("GET", "api/runs/before"), ("GET", "api/runs"), ("GET", "api/runs/before/log"),
            ("POST", "api/pipelines/hello/runs"), ("POST", "api/runs/through/cancel"),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            var clock = Stopwatch.StartNew();
            using var response = await _serve.Http.SendAsync(request);
            var elapsed = clock.Elapsed;

            var body = await ProblemAssert.IsAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("urn:durable-pipelines:problem:storage-unavailable", body["type"]!.GetValue<string>());
            Assert.Equal($"storage cannot be reached: Connection refused (127.0.0.1:{_azurite.BlobEndpoint.Port})", body["detail"]!.GetValue<string>());
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            Assert.True(elapsed < s_quick, $"{method} {path} took {elapsed}");
        }

        await _azurite.RestartAsync();

        Assert.Equal(RunStatus.Succeeded, (await _serve.GetRunAsync("before"))?.Status);

        // Its record, log and checkpoint writes during the outage were retried until storage came back; the
        // cancel answered 503 never reached it.
        var run = await _serve.WaitForRunAsync("through", timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        using var after = await _serve.StartAsync("hello", new JsonObject(), "after");
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
    }
}
