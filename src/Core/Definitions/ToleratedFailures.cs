namespace DurablePipelines.Definitions;

/// <summary>
/// How many results of an iterated task may fail before the task fails (as Step Functions' Map state tolerates
/// failed items): at most <see cref="Count"/> and at most <see cref="Percentage"/> percent of the task's results,
/// whichever is fewer. Within the allowance the task succeeds and its failed results stay recorded as failed.
/// </summary>
public sealed record ToleratedFailures
{
    /// <summary>At most this many failed results, or null for no bound by count.</summary>
    public int? Count { get; init; }

    /// <summary>At most this percentage (0 to 100) of the task's results failed, or null for no bound by share.</summary>
    public double? Percentage { get; init; }

    /// <summary>
    /// How many of <paramref name="results"/> results may fail with the task still succeeding: the smaller of
    /// <see cref="Count"/> and <see cref="Percentage"/> percent of the results, rounded down.
    /// </summary>
    public int Allowed(int results)
    {
        var byCount = Count ?? int.MaxValue;
        if (Percentage is not { } percentage)
        {
            return Math.Max(0, byCount);
        }

        // Decimal keeps 10 % of 30 at 3, where a double might land just under it and round down to 2.
        var byShare = (int)Math.Floor((decimal)percentage * results / 100m);
        return Math.Max(0, Math.Min(byCount, byShare));
    }
}
