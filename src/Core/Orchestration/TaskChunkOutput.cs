using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>Output of <see cref="OrchestratorNames.RunTaskChunk"/>: one result per item of the chunk.</summary>
/// <param name="Results">Results by item; never-started ones are Cancelled with no attempts.</param>
public sealed record TaskChunkOutput(IReadOnlyList<TaskResult> Results);
