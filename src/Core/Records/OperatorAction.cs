namespace DurablePipelines.Records;

/// <summary>
/// Something an operator did while a run ran, as the run saw it: a suspend or a resume of the run, or the retry, skip or
/// fail of a task result that waited for one.
/// </summary>
/// <param name="Action">
/// What was done: <see cref="StateAction.Suspended"/>, <see cref="StateAction.Resumed"/>,
/// <see cref="StateAction.RetriedByOperator"/>, <see cref="StateAction.SkippedByOperator"/> or
/// <see cref="StateAction.FailedByOperator"/>.
/// </param>
/// <param name="Time">When the run's orchestration received it (UTC).</param>
public sealed record OperatorAction(StateAction Action, DateTime Time)
{
    /// <summary>Who acted, as the request said; null when it did not say.</summary>
    public string? By { get; init; }

    /// <summary>For a result's actions, the attempt that had failed when the operator acted.</summary>
    public int? AfterAttempt { get; init; }
}
