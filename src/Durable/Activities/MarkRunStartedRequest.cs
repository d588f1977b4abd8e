namespace DurablePipelines.Durable.Activities;

/// <summary>Input of <see cref="RunStoreActivities.MarkRunStartedAsync"/>: which run started, and when.</summary>
/// <param name="RunId">The run.</param>
/// <param name="CreatedAt">When it was admitted: tells it apart from a later run with the same id.</param>
/// <param name="StartedAt">The orchestration's time when it started.</param>
public sealed record MarkRunStartedRequest(string RunId, DateTime CreatedAt, DateTime StartedAt);
