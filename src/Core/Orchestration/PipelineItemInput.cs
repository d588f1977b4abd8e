using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>Input of <see cref="OrchestratorNames.RunPipelineItem"/>: one pipeline-iterator item.</summary>
public sealed record PipelineItemInput
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The definition.</summary>
    public required PipelineDefinition Definition { get; init; }

    /// <summary>The run input, or a reference to it when it is over the inline payload limit (stored once per run).</summary>
    public JsonNode? Input { get; init; }

    /// <summary>The item's index.</summary>
    public int Index { get; init; }

    /// <summary>The item.</summary>
    public JsonNode? Item { get; init; }

    /// <summary>When the run's ttl expires, if it has one.</summary>
    public DateTime? Deadline { get; init; }

    /// <summary>The algorithm's knobs.</summary>
    public OrchestrationSettings Settings { get; init; } = new();

    /// <summary>
    /// In a rerun, this pipeline result as the source run recorded it (same index, equal item), whose succeeded
    /// results may be reused; otherwise null.
    /// </summary>
    public PipelineResult? Reuse { get; init; }

    /// <summary>
    /// How many activities this pipeline result keeps in flight at most: its share of the run's
    /// <see cref="IOrchestrationContext.MaxConcurrentActivities"/>. Null when the runner sets no limit (Durable).
    /// </summary>
    public int? MaxConcurrentActivities { get; init; }

    /// <summary>The events raised on the run before this pipeline result started (see <see cref="RunEventMessage"/>).</summary>
    public IReadOnlyDictionary<string, JsonNode?>? RunEvents { get; init; }
}
