using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DurablePipelines.Bench.Harness;
using DurablePipelines.Bench.Harness.Engine;

namespace DurablePipelines.Bench.Scenarios;

/// <summary>
/// Scenario 7, the stall check: 20 consecutive 1,000-item pipeline fan-outs through the engine (3 with
/// <c>--quick</c>). Figures: the longest time between two consecutive task-result completions (the records'
/// finishedAt), within a run and from one run's last result to the next run's first, and the slowest run.
/// </summary>
internal sealed class EngineStallScenario(BenchSettings settings, string connectionString)
{
    private const int Items = 1000;

    public async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        var runs = settings.Quick ? 3 : 20;
        await using var engine = await EngineHost.StartAsync(connectionString, "bench7");
        var probe = new AzuriteProbe(connectionString);
        var input = new JsonObject { ["items"] = new JsonArray([.. Enumerable.Range(0, Items).Select(i => (JsonNode)i)]) };
        var durations = new List<double>(runs);
        var finished = new List<DateTime[]>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var record = await engine.RunPipelineAsync($"stall-{i}", EngineIteratorScenario.Definition, input.DeepClone());
            durations.Add(watch.Elapsed.TotalSeconds);
            finished.Add([.. record.PipelineResults.Single().TaskExecutions.Single().TaskResults
                .Select(r => r.FinishedAt ?? throw new InvalidOperationException($"a task result of stall-{i} has no finishedAt")).Order()]);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {i + 1}/{runs}: {durations[^1]:F1} s, longest gap {LongestGap(finished[^1]).Gap.TotalSeconds:F2} s"));
        }

        await probe.DisposeAsync();
        var azurite = probe.Result;
        var within = finished.Select((f, run) => (Run: run, Gap: LongestGap(f))).MaxBy(g => g.Gap.Gap);
        var between = Enumerable.Range(1, runs - 1).Select(run => (Run: run, Gap: finished[run][0] - finished[run - 1][^1])).DefaultIfEmpty().MaxBy(g => g.Gap);
        var slowest = durations.Index().MaxBy(d => d.Item);
        var scenario = $"7 engine, {runs} x {Items:N0}-item fan-out";
        var withinMs = within.Gap.Gap.TotalMilliseconds;
        var betweenMs = between.Gap.TotalMilliseconds;
        return
        [
            new BenchResult
            {
                Scenario = scenario, Figure = "longest gap between task results", Value = Math.Max(withinMs, betweenMs), Unit = "ms",
                Goal = "<= 5 s", Met = Math.Max(withinMs, betweenMs) <= 5000,
                Note = string.Create(CultureInfo.InvariantCulture, $"within a run {withinMs:N0} ms (run {within.Run + 1}, after result {within.Gap.After + 1} of {Items:N0}); between runs {betweenMs:N0} ms (before run {between.Run + 1}); {engine.Log.WarningCount} engine warnings"),
            },
            new BenchResult
            {
                Scenario = scenario, Figure = "slowest run", Value = slowest.Item * 1000, Unit = "ms",
                Note = string.Create(CultureInfo.InvariantCulture, $"Azurite's slowest answer to a trivial request: {azurite.Slowest.TotalMilliseconds:N0} ms at {azurite.At:HH:mm:ss} ({azurite.Probes:N0} probes, one per 200 ms). Run {slowest.Index + 1}; median {Stats.Median(durations):F2} s, {Items / Stats.Median(durations):N0} results/s; all: {string.Join(" ", durations.Select(d => d.ToString("F1", CultureInfo.InvariantCulture)))} s"),
            },
        ];
    }

    /// <summary>The longest time between two consecutive completions, and the index of the result before it.</summary>
    private static (TimeSpan Gap, int After) LongestGap(DateTime[] finished) =>
        finished.Skip(1).Select((at, i) => (Gap: at - finished[i], After: i)).DefaultIfEmpty().MaxBy(g => g.Gap);
}
