using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DurablePipelines.Bench.Harness;
using DurablePipelines.Bench.Harness.Engine;
using DurablePipelines.Definitions;

namespace DurablePipelines.Bench.Scenarios;

/// <summary>
/// Scenario 3: one task with a 1,000- and a 10,000-item iterator over <c>input.items</c>, no-op handler, through the
/// pipeline engine (the app's RunPipeline orchestrator on DurableTask.AzureStorage over Azurite). The floor is a
/// hand-written fan-out orchestrator on the same hub calling the same RunTaskResult activity as many times at once.
/// Also: history events per task result (the hub's History table, over the run's instances) and the largest history
/// of one orchestration instance, which the chunk size bounds.
/// </summary>
internal sealed class EngineIteratorScenario(BenchSettings settings, string connectionString)
{
    private const string Pipeline = "bench-iterator";

    /// <summary>
    /// The in-flight limit of the 10,000-item pair, on the task and in the floor: queued all at once, 10,000 calls
    /// did not finish in 10 minutes on Azurite, whose dequeue looks at every visible message.
    /// </summary>
    private const int LargeWindow = 64;

    public static PipelineDefinition Definition { get; } = Iterated(null);

    private static PipelineDefinition Iterated(int? maxConcurrency) => new()
    {
        Name = Pipeline,
        Tasks = [new TaskDefinition { Name = NoOpTask.Name, Handler = NoOpTask.Name, Iterator = IteratorDefinition.FromPath("input.items"), MaxConcurrency = maxConcurrency }],
    };

    public async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        await using var engine = await EngineHost.StartAsync(connectionString, "bench3");
        await engine.RunPipelineAsync("warmup-iterator", Definition, Input(100));
        await engine.RunFloorAsync<int>(FanOutFloorOrchestrator.Name, new FloorInput { RunId = "warmup-fanout", Count = 100 });

        var rows = new List<BenchResult>();
        foreach (var count in settings.Quick ? [1000] : new[] { 1000, 10_000 })
        {
            rows.AddRange(await MeasureAsync(engine, count));
        }

        return rows;
    }

    private static async Task<IEnumerable<BenchResult>> MeasureAsync(EngineHost engine, int count)
    {
        Stats.Settle();
        var floorRequests = engine.Requests.Snapshot();
        var large = count > 1000;
        var (succeeded, floor) = await engine.RunFloorAsync<int>(FanOutFloorOrchestrator.Name, new FloorInput { RunId = $"fanout-{count}", Count = count, ChunkSize = large ? engine.Settings.ChunkSize : null, Window = large ? LargeWindow : null });
        if (succeeded != count)
        {
            throw new InvalidOperationException($"the floor fan-out ran {succeeded} of {count} activities");
        }

        var floorPerItem = engine.Requests.PerItem(floorRequests, count);
        Stats.Settle();
        var requests = engine.Requests.Snapshot();
        var warnings = engine.Log.WarningCount;
        var runId = $"iterator-{count}";
        var watch = Stopwatch.StartNew();
        var record = await engine.RunPipelineAsync(runId, Iterated(large ? LargeWindow : null), Input(count));
        var elapsed = watch.Elapsed;
        var perItem = engine.Requests.PerItem(requests, count);
        var results = record.PipelineResults.Single().TaskExecutions.Single().TaskResults.Count;
        if (results != count)
        {
            throw new InvalidOperationException($"expected {count} task results, the record has {results}");
        }

        var history = await engine.CountHistoryAsync(runId);
        var floorHistory = (await engine.CountHistoryAsync($"fanout-{count}")).Total;
        var perResult = elapsed.TotalSeconds / count;
        var floorPerResult = floor.TotalSeconds / count;
        var events = history.Total;
        var (largest, largestEvents) = history.PerInstance.MaxBy(p => p.Value);
        var chunkSize = engine.Settings.ChunkSize;
        var scenario = string.Create(CultureInfo.InvariantCulture, $"3 engine, 1 task x {count:N0}-item iterator{(large ? $", maxConcurrency {LargeWindow}" : "")}");
        var ratio = perResult / floorPerResult;
        return
        [
            new BenchResult
            {
                Scenario = scenario, Figure = "task results per second", Value = count / elapsed.TotalSeconds, Unit = "/s",
                Floor = count / floor.TotalSeconds, FloorName = large ? $"hand-written fan-out/s, {engine.Settings.ChunkSize} per sub-orchestration, {LargeWindow} in flight" : "hand-written fan-out/s", Ratio = ratio,
                Goal = count == 1000 ? ">= 100/s, <= 1.25x" : "<= 1.25x",
                Met = ratio <= 1.25 && (count != 1000 || count / elapsed.TotalSeconds >= 100),
                Note = string.Create(CultureInfo.InvariantCulture, $"start to record {elapsed.TotalSeconds:F2} s (engine's own span {(record.FinishedAt - record.StartedAt)?.TotalSeconds:F2} s), floor {floor.TotalSeconds:F2} s; {engine.Log.WarningCount - warnings} engine warnings. Engine: {perItem}. Floor: {floorPerItem}"),
            },
            new BenchResult
            {
                Scenario = scenario, Figure = "history events per task result", Value = (double)events / count, Unit = "events/result",
                Floor = (double)floorHistory / count, FloorName = "the fan-out's", Ratio = (double)events / floorHistory,
                Goal = "<= 2.2", Met = (double)events / count <= 2.2,
                Note = string.Create(CultureInfo.InvariantCulture, $"{events:N0} history rows over {history.PerInstance.Count} instances ({history.Types}); the fan-out's {floorHistory:N0} in 1"),
            },
            new BenchResult
            {
                // A chunk instance holds at most ChunkSize results: 2 events per call, and at most 2 per episode
                // (an episode handles at least one result), plus its start and end.
                Scenario = scenario, Figure = "largest orchestration history", Value = largestEvents, Unit = "events",
                Goal = string.Create(CultureInfo.InvariantCulture, $"bounded by ChunkSize {chunkSize}: <= {(4 * chunkSize) + 8:N0}"), Met = largestEvents <= (4 * chunkSize) + 8,
                Note = $"instance {largest}; the bound is 2 events per call plus at most 2 per episode, whatever the item count",
            },
        ];
    }

    private static JsonObject Input(int count) => new() { ["items"] = new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)i)]) };
}
