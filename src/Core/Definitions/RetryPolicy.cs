namespace DurablePipelines.Definitions;

/// <summary>
/// Retries of one task result: <see cref="Attempts"/> in all, waiting <see cref="Delay"/> times
/// <see cref="Backoff"/> to the power of the retry number, never longer than <see cref="MaxDelay"/>.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Attempts in all, the first included (at least 1).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>Wait before the first retry.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.Zero;

    /// <summary>Factor applied to the wait after every retry (at least 1).</summary>
    public double Backoff { get; init; } = 1.0;

    /// <summary>Upper bound of any wait.</summary>
    public TimeSpan? MaxDelay { get; init; }

    /// <summary>The wait after the failed attempt number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var ticks = Delay.Ticks * Math.Pow(Backoff, attempt - 1);
        var wait = ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
        return MaxDelay is { } max && wait > max ? max : wait;
    }
}
