using System.Text.Json.Nodes;

namespace DurablePipelines.Records;

/// <summary>One pipeline-iterator item inside a run (exactly one when the pipeline has no iterator).</summary>
public sealed record PipelineResult
{
    /// <summary>The item's index, 0 without an iterator.</summary>
    public int Index { get; init; }

    /// <summary>The pipeline-iterator item, or null.</summary>
    public JsonNode? Item { get; init; }

    /// <summary>Final status.</summary>
    public RunStatus Status { get; init; }

    /// <summary>When it started.</summary>
    public DateTime? StartedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTime? FinishedAt { get; init; }

    /// <summary>Every task of the pipeline, in definition order, whether it ran or not.</summary>
    public IReadOnlyList<TaskExecution> TaskExecutions { get; init; } = [];
}
