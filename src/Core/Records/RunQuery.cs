namespace DurablePipelines.Records;

/// <summary>Which runs <see cref="IRunStore.ListAsync"/> returns.</summary>
/// <param name="Pipeline">Only runs of this pipeline, or all.</param>
/// <param name="Status">Only runs in this status, or all.</param>
/// <param name="Top">At most this many (at least 1; the HTTP API allows up to 1000).</param>
public sealed record RunQuery(string? Pipeline = null, RunStatus? Status = null, int Top = 50);
