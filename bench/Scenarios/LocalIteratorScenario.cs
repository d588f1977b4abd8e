using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs.Models;
using DurablePipelines.Bench.Harness;
using DurablePipelines.LocalDurable;
using DurablePipelines.Storage.Hosting;

namespace DurablePipelines.Bench.Scenarios;

/// <summary>
/// Scenario 3: one task with a 10,000-item iterator, <c>maxConcurrency</c> 64, no-op handler, started over HTTP on
/// <c>dp serve</c> with checkpoints in Azurite. Figures: task results per second (POST to final record stored), and
/// the largest number of activity checkpoints one orchestration instance made (the bound on its history).
/// The floor is the same number of checkpoint-sized blob uploads to the same Azurite, 64 at a time.
/// </summary>
internal sealed class LocalIteratorScenario(BenchSettings settings, ServeInstance serve)
{
    public const string Pipeline = "bench-iterator";

    public const string Definition = """
        { "name": "bench-iterator", "tasks": [ { "name": "noop", "handler": "noop", "iterator": "input.items", "maxConcurrency": 64 } ] }
        """;

    private const string Scenario = "3 local host, 1 task x iterator";

    public async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        var count = settings.Quick ? 1000 : 10_000;
        await serve.WaitForRunAsync(await serve.StartRunAsync(Pipeline, Input(200)));

        var floor = await BlobFloor.ConcurrentUploadsAsync(serve.Storage, count, 64);
        Stats.Settle();
        var watch = Stopwatch.StartNew();
        var runId = await serve.StartRunAsync(Pipeline, Input(count));
        var record = await serve.WaitForRunAsync(runId);
        var elapsed = watch.Elapsed.TotalSeconds;
        var results = record.PipelineResults.Single().TaskExecutions.Single().TaskResults.Count;
        if (results != count)
        {
            throw new InvalidOperationException($"expected {count} task results, the record has {results}");
        }

        var history = await CountHistoryAsync(runId, count, serve.Options.ChunkSize);
        var blobs = await CountBlobsAsync(runId);
        var perResult = elapsed / count * 1e6;
        var floorPerResult = floor / count * 1e6;
        var scenario = $"{Scenario} {count:N0}";
        return
        [
            new BenchResult
            {
                Scenario = scenario, Figure = "task results per second", Value = count / elapsed, Unit = "/s",
                Floor = count / floor, FloorName = "blob uploads/s (64 at once)", Ratio = perResult / floorPerResult,
                Goal = ">= 500/s", Met = count / elapsed >= 500,
                Note = $"POST to final record stored: {elapsed:F2} s; engine's own span {(record.FinishedAt - record.StartedAt)?.TotalSeconds:F2} s",
            },
            new BenchResult
            {
                Scenario = scenario, Figure = "largest orchestration: activity checkpoints", Value = history.Largest, Unit = "calls",
                Goal = $"bounded (<= ChunkSize {serve.Options.ChunkSize})", Met = history.Largest <= serve.Options.ChunkSize,
                Note = $"{history.Instances} instances, {history.Total:N0} checkpoints in {blobs:N0} blobs; the run's own orchestration: {history.Main} activities + {history.Chunks} chunk sub-orchestrations",
            },
        ];
    }

    private static JsonObject Input(int count) => new() { ["items"] = new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)i)]) };

    /// <summary>How many blobs hold the run's checkpoints: one write each, so the checkpoints per write show.</summary>
    private async Task<int> CountBlobsAsync(string runId)
    {
        var container = serve.Storage.GetBlobContainerClient(new StorageOptions().CheckpointsContainer);
        var blobs = 0;
        await foreach (var _ in container.GetBlobsAsync(new GetBlobsOptions { Prefix = Uri.EscapeDataString(runId) + "/" }))
        {
            blobs++;
        }

        return blobs;
    }

    /// <summary>
    /// Counts the run's checkpoints (keys, not blobs: results that finish together share one blob) per orchestration
    /// instance, read back through the host's store. A task-result key is
    /// <c>{run}/{pipelineResult}/{task}/{index}/{attempt}</c>; a task with more items than the chunk size runs item i in
    /// chunk sub-orchestration <c>i / ChunkSize</c>, everything else belongs to the run's own orchestration.
    /// </summary>
    private async Task<(int Largest, int Instances, int Total, int Main, int Chunks)> CountHistoryAsync(string runId, int items, int chunkSize)
    {
        var keys = (await serve.Checkpoints.LoadAllAsync(runId, CancellationToken.None)).Keys;
        var perInstance = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = 0;
        foreach (var key in keys)
        {
            total++;
            if (key == LocalRunScheduler.InputKey)
            {
                continue;
            }

            var parts = key[(runId.Length + 1)..].Split('/');
            var instance = parts.Length == 4 && items > chunkSize && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                ? $"{parts[0]}:{parts[1]}:c{index / chunkSize}"
                : runId;
            perInstance[instance] = perInstance.GetValueOrDefault(instance) + 1;
        }

        var chunks = perInstance.Count(p => p.Key != runId);
        return (perInstance.Values.DefaultIfEmpty(0).Max(), chunks + 1, total, perInstance.GetValueOrDefault(runId), chunks);
    }
}
