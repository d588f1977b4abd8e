using System.Text.Json.Nodes;

namespace DurablePipelines.Records;

/// <summary>One task inside one pipeline result.</summary>
public sealed record TaskExecution
{
    /// <summary>The task's name.</summary>
    public required string Task { get; init; }

    /// <summary>Final status.</summary>
    public RunStatus Status { get; init; }

    /// <summary>When its parents had all succeeded and it started.</summary>
    public DateTime? StartedAt { get; init; }

    /// <summary>When its last task result finished.</summary>
    public DateTime? FinishedAt { get; init; }

    /// <summary>The task's metadata, untouched.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>Why the task itself failed or was cancelled (iterator error, failed parent), when not a result's error.</summary>
    public TaskError? Error { get; init; }

    /// <summary>One per iterator item, in index order.</summary>
    public IReadOnlyList<TaskResult> TaskResults { get; init; } = [];
}
