using DurablePipelines.Records;

namespace DurablePipelines.Durable.Activities;

/// <summary>Input of <see cref="RunStoreActivities.SaveRunRecordAsync"/>: a run's final record and the run log rows of its top-level orchestration.</summary>
/// <param name="Record">The final record.</param>
/// <param name="Log">Run log rows reported by the <c>RunPipeline</c> orchestration, in order.</param>
public sealed record SaveRunRecordRequest(PipelineExecution Record, IReadOnlyList<StateChange> Log);
