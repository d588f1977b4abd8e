using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DurablePipelines.Records;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests.Serve;

/// <summary><c>POST /api/runs/{runId}/rerun</c> on the real host over Azurite: the engine, the blob run store and its pinned runs.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ApiEndpointsRerunTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ServeApp _serve = null!;

    public async Task InitializeAsync() => _serve = await ServeApp.StartAsync(azurite);

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    [Fact]
    public async Task Rerun_SucceededRun_202AndTheNewRunReusesEveryResultWithoutRunningOne()
    {
        using (var start = await _serve.StartAsync("fan", new JsonObject { ["items"] = new JsonArray("x", "y", "z") }, "fan-src"))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        await _serve.WaitForRunAsync("fan-src");

        using var response = await PostAsync("api/runs/fan-src/rerun", """{ "runId": "fan-again" }""");

        var body = await ProblemAssert.OkAsync(response, HttpStatusCode.Accepted);
        Assert.Equal("/api/runs/fan-again", response.Headers.Location?.OriginalString);
        Assert.Equal(("fan-again", "fan-src"), (body["runId"]!.GetValue<string>(), body["rerunOf"]!.GetValue<string>()));
        var run = await _serve.WaitForRunAsync("fan-again");
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("fan-src", run.RerunOf);
        Assert.All(run.PipelineResults.SelectMany(p => p.TaskExecutions).SelectMany(t => t.TaskResults), r => Assert.Equal("fan-src", r.ReusedFrom));
        var log = await _serve.GetLogAsync("fan-again");
        Assert.Contains(log, row => row is { Action: StateAction.Reused, PipelineResult: 0, Task: null });
        Assert.DoesNotContain(log, row => row is { Action: StateAction.Started, TaskResult: not null });
    }

    [Fact]
    public async Task Rerun_UnknownRun_404()
    {
        using var response = await PostAsync("api/runs/never-ran/rerun", string.Empty);

        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("unknown run 'never-ran'", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rerun_ActiveRun_409()
    {
        using (var start = await _serve.StartAsync("long", null, "long-busy"))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        using var response = await PostAsync("api/runs/long-busy/rerun", string.Empty);

        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.Conflict);
        Assert.StartsWith("run 'long-busy' is still active (", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        _serve.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
}
