namespace DurablePipelines.Definitions;

/// <summary>
/// Operator repair (docs/rules.md, Operator repair): a task result whose last attempt failed waits for an operator,
/// who retries it (optionally with an edited config or item), skips it with an output, or fails it, instead of
/// failing the task at once. Set on a task, or on the pipeline for every task that sets none.
/// </summary>
public sealed record RepairPolicy
{
    /// <summary>
    /// How long a result waits for an operator; then it fails as it would have without repair. Null waits until an
    /// operator acts or the run is cancelled or its ttl expires.
    /// </summary>
    public TimeSpan? Timeout { get; init; }
}
