using System.Diagnostics;
using DurablePipelines.Bench.Harness;

namespace DurablePipelines.Bench.Scenarios;

/// <summary>
/// Scenario 2: 1,000 sequential no-op tasks in process on <c>eager</c> and <c>parallel</c>; parent finished to
/// child started, p50 and p99, from the record's timestamps. The floor is a hand-written loop of
/// <c>await Task.Run(noop)</c>, timed the same way (end of one no-op to the start of the next).
/// </summary>
internal sealed class ChainScenario(BenchSettings settings)
{
    public async Task<IReadOnlyList<BenchResult>> RunAsync()
    {
        var length = settings.Quick ? 200 : 1000;
        var definition = ChainLatency.Definition("bench-chain", length, NoOpTask.Name);
        using var engine = new InProcessEngine();
        engine.EnsureValid(definition);
        var warm = ChainLatency.Definition("bench-chain-warm", 200, NoOpTask.Name);
        for (var i = 0; i < 10; i++)
        {
            await engine.RunAsync("eager", warm);
            await engine.RunAsync("parallel", warm);
            await FloorAsync(200);
        }

        var floor = (await Stats.RepeatAsync(settings.Repetitions, () => FloorAsync(length))).SelectMany(s => s).ToList();
        var floorP50 = Stats.Percentile(floor, 50);
        var floorP99 = Stats.Percentile(floor, 99);
        var results = new List<BenchResult>();
        foreach (var runner in new[] { "eager", "parallel" })
        {
            var samples = (await Stats.RepeatAsync(settings.Repetitions, async () => ChainLatency.StepLatencies(await engine.RunAsync(runner, definition))))
                .SelectMany(s => s)
                .ToList();
            var p50 = Stats.Percentile(samples, 50);
            var p99 = Stats.Percentile(samples, 99);
            var scenario = $"2 chain of {length:N0}, {runner}";
            results.Add(new BenchResult
            {
                Scenario = scenario,
                Figure = "parent finished -> child started p50",
                Value = p50,
                Unit = "us",
                Floor = floorP50,
                FloorName = "await Task.Run loop",
                Ratio = p50 / floorP50,
                Goal = "< 50 us",
                Met = p50 < 50,
                Note = $"{samples.Count:N0} steps over {settings.Repetitions} run(s)",
            });
            results.Add(new BenchResult
            {
                Scenario = scenario,
                Figure = "parent finished -> child started p99",
                Value = p99,
                Unit = "us",
                Floor = floorP99,
                FloorName = "await Task.Run loop",
                Ratio = p99 / floorP99,
            });
        }

        return results;
    }

    private static async Task<List<double>> FloorAsync(int length)
    {
        var started = new long[length];
        var finished = new long[length];
        for (var i = 0; i < length; i++)
        {
            var step = i;
            await Task.Run(() =>
            {
                started[step] = Stopwatch.GetTimestamp();
                finished[step] = Stopwatch.GetTimestamp();
            });
        }

        return [.. Enumerable.Range(1, length - 1).Select(i => Stopwatch.GetElapsedTime(finished[i - 1], started[i]).TotalMicroseconds)];
    }
}
