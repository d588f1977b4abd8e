namespace DurablePipelines.Records;

/// <summary>Something an operator did to a run while it ran, as the run saw it: a suspend or a resume.</summary>
/// <param name="Action">What was done: <see cref="StateAction.Suspended"/> or <see cref="StateAction.Resumed"/>.</param>
/// <param name="Time">When the run's orchestration received it (UTC).</param>
public sealed record OperatorAction(StateAction Action, DateTime Time);
