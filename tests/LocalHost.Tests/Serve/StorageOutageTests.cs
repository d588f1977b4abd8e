using System.Net;
using System.Text.Json.Nodes;
using DurablePipelines.Records;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests.Serve;

/// <summary>
/// Storage away for a minute in the middle of runs (Azurite stopped, then started again on the same data): the engine
/// waits it out, every run finishes <c>Succeeded</c> after storage returns with every result recorded once, and no
/// run is marked failed because storage was away; the history purge, sweeping every second, fails through the
/// outage without stopping the host and purges the ended runs once storage is back. The class has an Azurite of its
/// own, since it stops it, and runs beside the other tests: most of its time is the minute of outage, when it loads
/// nothing, and its runs have minutes to spare once storage is back.
/// </summary>
public sealed class StorageOutageTests : IAsyncLifetime, IDisposable
{
    private const int Runs = 3;
    private const int Items = 30;
    private static readonly TimeSpan s_outage = TimeSpan.FromSeconds(60);

    private readonly AzuriteFixture _azurite = new();
    private ServeApp _serve = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        // History purge sweeps every second through the outage: a sweep that fails must not stop the host.
        _serve = await ServeApp.StartAsync(_azurite, new Dictionary<string, string?> { ["Pipelines:HistoryRetention"] = "00:00:00" });
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    public void Dispose() => _azurite.Dispose();

    [Fact]
    public async Task StorageAwayForAMinuteMidRuns_EveryRunSucceedsAfterItReturnsWithEveryResult()
    {
        var items = new JsonArray([.. Enumerable.Range(0, Items).Select(i => (JsonNode)i)]);
        var runIds = Enumerable.Range(1, Runs).Select(i => $"outage-{i}").ToList();
        foreach (var runId in runIds)
        {
            using var start = await _serve.StartAsync("slow-fan", new JsonObject { ["items"] = items.DeepClone() }, runId);
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        // Every run under way, none near its end (a result every 300 ms, one at a time: 9 s per run).
        foreach (var runId in runIds)
        {
            await _serve.WaitForProgressAsync(runId, p => p.Results.Succeeded >= 2);
        }

        await _azurite.StopAsync();
        await Task.Delay(s_outage);
        await _azurite.RestartAsync();

        foreach (var runId in runIds)
        {
            var run = await _serve.WaitForRunAsync(runId, timeout: TimeSpan.FromMinutes(4));
            Assert.True(run.Status == RunStatus.Succeeded, $"{runId} ended {run.Status}: {run.Error?.Message}");
            var each = run.PipelineResults.Single().TaskExecutions[0].TaskResults;
            Assert.Equal(Enumerable.Range(0, Items), each.Select(r => r.Index));
            Assert.All(each, r => Assert.Equal(RunStatus.Succeeded, r.Status));
            var log = await _serve.GetLogAsync(runId);
            Assert.Equal(Items, log.Count(r => r.Task == "each" && r.TaskResult is not null && r.Action == StateAction.Succeeded));
        }

        // The sweeps went on after storage returned: the ended runs' histories are purged, their records stay.
        foreach (var runId in runIds)
        {
            await _serve.WaitUntilTheEngineHasNoOrchestrationAsync(runId);
            Assert.Equal(RunStatus.Succeeded, (await _serve.GetRunAsync(runId))!.Status);
        }
    }
}
