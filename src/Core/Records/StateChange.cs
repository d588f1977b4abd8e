using System.Text.Json.Nodes;

namespace DurablePipelines.Records;

/// <summary>
/// One status change, as the reporter receives it and the run log stores it: time, pipeline result, task,
/// task result, attempt and action. Fields that do not apply at a level are null.
/// </summary>
public sealed record StateChange
{
    /// <summary>When it happened.</summary>
    public DateTime Time { get; init; }

    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The pipeline result's index, null for the run itself.</summary>
    public int? PipelineResult { get; init; }

    /// <summary>The task, null for the run or a pipeline result.</summary>
    public string? Task { get; init; }

    /// <summary>The task result's index, null above that level.</summary>
    public int? TaskResult { get; init; }

    /// <summary>The attempt, for task results.</summary>
    public int? Attempt { get; init; }

    /// <summary>What happened.</summary>
    public required StateAction Action { get; init; }

    /// <summary>The status after the change.</summary>
    public RunStatus Status { get; init; }

    /// <summary>The error, for failures and cancellations.</summary>
    public TaskError? Error { get; init; }

    /// <summary>Who acted, as the operator's request said, for the actions of operators; null when not said.</summary>
    public string? By { get; init; }

    /// <summary>The item being run, when there is one.</summary>
    public JsonNode? Item { get; init; }
}
