namespace DurablePipelines.Bench.Harness.Engine;

/// <summary>A run's history rows in the hub's History table: per orchestration instance, and per event type.</summary>
internal sealed record RunHistory(IReadOnlyDictionary<string, int> PerInstance, IReadOnlyDictionary<string, int> PerEventType)
{
    public int Total => PerInstance.Values.Sum();

    /// <summary>Event types by count, most first: <c>TaskScheduled 1,000, TaskCompleted 1,000, ...</c>.</summary>
    public string Types => string.Join(", ", PerEventType.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:N0}"));
}
