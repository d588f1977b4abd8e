namespace DurablePipelines.Bench.Harness;

/// <summary>Medians and percentiles (nearest rank) of measured samples.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> samples) => Percentile(samples, 50);

    public static double Percentile(IEnumerable<double> samples, double percent)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>Runs <paramref name="measure"/> <paramref name="repetitions"/> times after a full GC each, and returns every sample.</summary>
    public static async Task<List<T>> RepeatAsync<T>(int repetitions, Func<Task<T>> measure)
    {
        var samples = new List<T>(repetitions);
        for (var i = 0; i < repetitions; i++)
        {
            Settle();
            samples.Add(await measure());
        }

        return samples;
    }

    /// <summary>Collects garbage left by the previous measurement so it is not charged to the next one.</summary>
    public static void Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
