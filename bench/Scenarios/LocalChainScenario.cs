using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Bench.Harness;
using DurablePipelines.Records;

namespace DurablePipelines.Bench.Scenarios;

/// <summary>
/// Scenario 4: 100 sequential no-op tasks on <c>dp serve</c> over Azurite; per-step latency (parent's result finished
/// to child's result started, from the record served by <c>GET /api/runs/{id}</c>), p50 and p99. The floor is one
/// checkpoint-sized blob upload to the same Azurite, the write each step waits for.
/// </summary>
internal sealed class LocalChainScenario(BenchSettings settings, ServeInstance serve)
{
    public const string Pipeline = "bench-chain";

    public static int Length(BenchSettings settings) => settings.Quick ? 30 : 100;

    public static string Definition(BenchSettings settings) =>
        JsonSerializer.Serialize(ChainLatency.Definition(Pipeline, Length(settings), NoOpTask.Name), PipelineJson.Definitions);

    public async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        await serve.WaitForRunAsync(await serve.StartRunAsync(Pipeline, []));
        var floor = await BlobFloor.SequentialUploadsAsync(serve.Storage, Length(settings) * settings.Repetitions);
        var samples = new List<double>();
        for (var i = 0; i < settings.Repetitions; i++)
        {
            Stats.Settle();
            var record = await serve.WaitForRunAsync(await serve.StartRunAsync(Pipeline, new JsonObject()));
            samples.AddRange(ChainLatency.StepLatencies(record));
        }

        var scenario = $"4 local host, chain of {Length(settings)}";
        var (p50, p99) = (Stats.Percentile(samples, 50) / 1000, Stats.Percentile(samples, 99) / 1000);
        var (f50, f99) = (Stats.Percentile(floor, 50) / 1000, Stats.Percentile(floor, 99) / 1000);
        return
        [
            new BenchResult
            {
                Scenario = scenario, Figure = "step latency p50", Value = p50, Unit = "ms",
                Floor = f50, FloorName = "one blob upload", Ratio = p50 / f50, Goal = "< 20 ms", Met = p50 < 20,
                Note = $"{samples.Count} steps over {settings.Repetitions} run(s)",
            },
            new BenchResult
            {
                Scenario = scenario, Figure = "step latency p99", Value = p99, Unit = "ms",
                Floor = f99, FloorName = "one blob upload", Ratio = p99 / f99,
            },
        ];
    }
}
