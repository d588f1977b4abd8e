namespace DurablePipelines.Records;

/// <summary>The answer of <see cref="IRunStore.TryCreateAsync"/>.</summary>
/// <param name="Created">True when the new run's record was created.</param>
/// <param name="Active">The active run that holds the id, when refused.</param>
public sealed record RunClaim(bool Created, PipelineExecution? Active);
