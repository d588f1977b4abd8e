namespace DurablePipelines.Bench.Harness;

/// <summary>Waits for many things a few at a time, but no longer than a limit, and says how many were done by then.</summary>
internal static class BoundedWait
{
    /// <summary>
    /// Runs <paramref name="waitFor"/> for each item, <paramref name="readers"/> at a time, until all have returned or
    /// <paramref name="limit"/> has passed; returns how many returned. A failure of one (not the limit) is thrown.
    /// </summary>
    public static async Task<int> CountDoneAsync<T>(IEnumerable<T> items, int readers, TimeSpan limit, Func<T, CancellationToken, Task> waitFor)
    {
        using var deadline = new CancellationTokenSource(limit);
        var done = 0;
        try
        {
            await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = readers, CancellationToken = deadline.Token }, async (item, token) =>
            {
                await waitFor(item, token);
                Interlocked.Increment(ref done);
            });
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // The limit passed: the rest are counted as not done.
        }

        return done;
    }
}
