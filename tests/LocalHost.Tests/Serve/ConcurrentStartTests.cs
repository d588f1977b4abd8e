using System.Net;
using DurablePipelines.Records;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests.Serve;

/// <summary>Rule 8 under load: concurrent starts with one run id make one run (blob conditions, not a lock).</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ConcurrentStartTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int Starts = 50;

    private ServeApp _serve = null!;

    public async Task InitializeAsync() => _serve = await ServeApp.StartAsync(azurite);

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    [Fact]
    public async Task StartRun_FiftyAtOnceWithOneRunId_OneRunOne202AndThe409s()
    {
        using var gate = new SemaphoreSlim(0);
        var starts = Enumerable.Range(0, Starts).Select(async _ =>
        {
            await gate.WaitAsync();
            using var response = await _serve.StartAsync("long", null, "same-id");
            return response.StatusCode;
        }).ToList();
        gate.Release(Starts);

        var statuses = await Task.WhenAll(starts);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Accepted));
        Assert.Equal(Starts - 1, statuses.Count(s => s == HttpStatusCode.Conflict));
        var run = await _serve.WaitForRunAsync("same-id", r => r.Status == RunStatus.Running);
        using var list = await _serve.Http.GetAsync("api/runs");
        Assert.Equal(["same-id"], (await ProblemAssert.OkAsync(list))["runs"]!.AsArray().Select(r => r!["runId"]!.GetValue<string>()));
        Assert.Equal(run.CreatedAt, (await _serve.GetRunAsync("same-id"))!.CreatedAt);

        using var cancel = await _serve.Http.PostAsync("api/runs/same-id/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await _serve.WaitUntilTheEngineHasTheCancelAsync("same-id");
        _serve.Held.Release();
        Assert.Equal(RunStatus.Terminated, (await _serve.WaitForRunAsync("same-id")).Status);

        // The engine writes the log when the run ends: one run, started once, its one result started once.
        var log = await _serve.GetLogAsync("same-id");
        Assert.Single(log, r => r.PipelineResult is null && r.Action == StateAction.Started);
        Assert.Single(log, r => r.Task == "wait" && r.TaskResult == 0 && r.Action == StateAction.Started);
    }
}
