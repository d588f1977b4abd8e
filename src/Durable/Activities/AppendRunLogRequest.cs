using DurablePipelines.Records;

namespace DurablePipelines.Durable.Activities;

/// <summary>Input of <see cref="RunStoreActivities.AppendRunLogAsync"/>: the run log rows of one sub-orchestration.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Log">Rows reported by a <c>RunPipelineItem</c> or <c>RunTaskChunk</c> orchestration, in order.</param>
public sealed record AppendRunLogRequest(string RunId, IReadOnlyList<StateChange> Log);
