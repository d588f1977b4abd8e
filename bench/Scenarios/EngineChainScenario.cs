using System.Diagnostics;
using System.Globalization;
using DurablePipelines.Bench.Harness;
using DurablePipelines.Bench.Harness.Engine;
using DurablePipelines.Definitions;
using DurablePipelines.Orchestration;

namespace DurablePipelines.Bench.Scenarios;

/// <summary>
/// Scenario 4: a chain of 30 no-op tasks through the pipeline engine on DurableTask.AzureStorage over Azurite. The
/// floor is a hand-written orchestrator on the same hub calling the same RunTaskResult activity 30 times in sequence,
/// run alternately with the pipeline. Figures: wall time per step (start to record, over the steps), and the step
/// latency (a result finished to the next one started, from the records) at p50 and p99. The same is measured again on
/// a host with <c>Pipelines:Storage:PublishEvents</c> off: what the run's events (two queue messages per task) cost.
/// </summary>
internal sealed class EngineChainScenario(BenchSettings settings, string connectionString)
{
    private const int Steps = 30;

    // A run takes about a second; the medians of 3 pairs moved between 1.1x and 1.3x from one bench run to the next.
    private const int FullRepetitions = 8;

    private static readonly PipelineDefinition s_definition = ChainLatency.Definition("bench-chain", Steps, NoOpTask.Name);

    public async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        var scenario = $"4 engine, chain of {Steps}";
        var events = await MeasureAsync("bench4", publishEvents: true);
        var quiet = await MeasureAsync("bench4q", publishEvents: false);
        var (perStep, floorPerStep) = (Stats.Median(events.Runs), Stats.Median(events.Floors));
        var (quietPerStep, quietFloor) = (Stats.Median(quiet.Runs), Stats.Median(quiet.Floors));
        var (p50, p99) = (Stats.Percentile(events.Latencies, 50) / 1000, Stats.Percentile(events.Latencies, 99) / 1000);
        var (f50, f99) = (Stats.Percentile(events.FloorLatencies, 50) / 1000, Stats.Percentile(events.FloorLatencies, 99) / 1000);
        return
        [
            new BenchResult
            {
                Scenario = scenario, Figure = "time per step (start to record / steps)", Value = perStep, Unit = "ms",
                Floor = floorPerStep, FloorName = "hand-written chain", Ratio = perStep / floorPerStep, Goal = "<= 1.25x", Met = perStep / floorPerStep <= 1.25,
                Note = $"run events on (the default); median of {Repetitions} run(s) each; per run {List(events.Runs)} ms, floor {List(events.Floors)} ms",
            },
            new BenchResult
            {
                Scenario = scenario, Figure = "time per step, run events off", Value = quietPerStep, Unit = "ms",
                Floor = quietFloor, FloorName = "hand-written chain", Ratio = quietPerStep / quietFloor,
                Note = $"Pipelines:Storage:PublishEvents=false, on a hub of its own: the run sends none of its {(2 * Steps) + 3} event messages; per run {List(quiet.Runs)} ms, floor {List(quiet.Floors)} ms",
            },
            new BenchResult
            {
                Scenario = scenario, Figure = "step latency p50", Value = p50, Unit = "ms",
                Floor = f50, FloorName = "hand-written chain", Ratio = p50 / f50,
                Note = $"{events.Latencies.Count} steps; a result finished to the next one started",
            },
            new BenchResult
            {
                Scenario = scenario, Figure = "step latency p99", Value = p99, Unit = "ms",
                Floor = f99, FloorName = "hand-written chain", Ratio = p99 / f99,
            },
        ];
    }

    private int Repetitions => settings.Quick ? settings.Repetitions : FullRepetitions;

    private static string List(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)));

    /// <summary>Floor and pipeline runs, alternately, on a host of their own; times per step and step latencies.</summary>
    private async Task<(List<double> Runs, List<double> Floors, List<double> Latencies, List<double> FloorLatencies)> MeasureAsync(string hubName, bool publishEvents)
    {
        await using var engine = await EngineHost.StartAsync(connectionString, hubName, publishEvents);
        await engine.RunPipelineAsync("warmup-chain", s_definition, null);
        await engine.RunFloorAsync<List<TaskResultOutcome>>(ChainFloorOrchestrator.Name, new FloorInput { RunId = "warmup-chain-floor", Count = Steps });

        var (runs, floors) = (new List<double>(), new List<double>());
        var (latencies, floorLatencies) = (new List<double>(), new List<double>());
        for (var i = 0; i < Repetitions; i++)
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

        return (runs, floors, latencies, floorLatencies);
    }
}
