using System.Diagnostics;
using DurablePipelines.Bench.Harness;
using DurablePipelines.Bench.Harness.Engine;
using DurablePipelines.Definitions;
using DurablePipelines.Orchestration;

namespace DurablePipelines.Bench.Scenarios;

/// <summary>
/// Scenario 4: a chain of 30 no-op tasks through the pipeline engine on DurableTask.AzureStorage over Azurite. The
/// floor is a hand-written orchestrator on the same hub calling the same RunTaskResult activity 30 times in sequence.
/// Figures: wall time per step (start to record, over the steps), and the step latency (a result finished to the
/// next one started, from the records) at p50 and p99.
/// </summary>
internal sealed class EngineChainScenario(BenchSettings settings, string connectionString)
{
    private const int Steps = 30;

    private static readonly PipelineDefinition s_definition = ChainLatency.Definition("bench-chain", Steps, NoOpTask.Name);

    public async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        await using var engine = await EngineHost.StartAsync(connectionString, "bench4");
        await engine.RunPipelineAsync("warmup-chain", s_definition, null);
        await engine.RunFloorAsync<List<TaskResultOutcome>>(ChainFloorOrchestrator.Name, new FloorInput { RunId = "warmup-chain-floor", Count = Steps });

        var (runs, floors) = (new List<double>(), new List<double>());
        var (latencies, floorLatencies) = (new List<double>(), new List<double>());
        for (var i = 0; i < settings.Repetitions; i++)
        {
            Stats.Settle();
            var (outcomes, floor) = await engine.RunFloorAsync<List<TaskResultOutcome>>(ChainFloorOrchestrator.Name, new FloorInput { RunId = $"chain-floor-{i}", Count = Steps });
            floors.Add(floor.TotalMilliseconds / Steps);
            floorLatencies.AddRange(outcomes.Skip(1).Zip(outcomes, (next, previous) => (next.StartedAt - previous.FinishedAt).TotalMicroseconds));

            Stats.Settle();
            var watch = Stopwatch.StartNew();
            var record = await engine.RunPipelineAsync($"chain-{i}", s_definition, null);
            runs.Add(watch.Elapsed.TotalMilliseconds / Steps);
            latencies.AddRange(ChainLatency.StepLatencies(record));
        }

        var scenario = $"4 engine, chain of {Steps}";
        var (perStep, floorPerStep) = (Stats.Median(runs), Stats.Median(floors));
        var (p50, p99) = (Stats.Percentile(latencies, 50) / 1000, Stats.Percentile(latencies, 99) / 1000);
        var (f50, f99) = (Stats.Percentile(floorLatencies, 50) / 1000, Stats.Percentile(floorLatencies, 99) / 1000);
        return
        [
            new BenchResult
            {
                Scenario = scenario, Figure = "time per step (start to record / steps)", Value = perStep, Unit = "ms",
                Floor = floorPerStep, FloorName = "hand-written chain", Ratio = perStep / floorPerStep, Goal = "<= 1.25x", Met = perStep / floorPerStep <= 1.25,
                Note = $"median of {settings.Repetitions} run(s) each; per run {string.Join(", ", runs.Select(r => r.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} ms, floor {string.Join(", ", floors.Select(r => r.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} ms",
            },
            new BenchResult
            {
                Scenario = scenario, Figure = "step latency p50", Value = p50, Unit = "ms",
                Floor = f50, FloorName = "hand-written chain", Ratio = p50 / f50,
                Note = $"{latencies.Count} steps; a result finished to the next one started",
            },
            new BenchResult
            {
                Scenario = scenario, Figure = "step latency p99", Value = p99, Unit = "ms",
                Floor = f99, FloorName = "hand-written chain", Ratio = p99 / f99,
            },
        ];
    }
}
