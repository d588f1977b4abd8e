using System.Text.Json.Nodes;

namespace DurablePipelines.Records;

/// <summary>One task-iterator item inside a task execution (exactly one when the task has no iterator).</summary>
public sealed record TaskResult
{
    /// <summary>The item's index in the iterator, 0 without one.</summary>
    public int Index { get; init; }

    /// <summary>The task-iterator item, or null.</summary>
    public JsonNode? Item { get; init; }

    /// <summary>Final status.</summary>
    public RunStatus Status { get; init; }

    /// <summary>Attempts made (0 when it never started).</summary>
    public int Attempts { get; init; }

    /// <summary>When the first attempt started.</summary>
    public DateTime? StartedAt { get; init; }

    /// <summary>When the last attempt finished.</summary>
    public DateTime? FinishedAt { get; init; }

    /// <summary>The handler's output; a large one is a payload reference <c>{ "$dpRef": … }</c>.</summary>
    public JsonNode? Output { get; init; }

    /// <summary>Why the last attempt failed, or why it was cancelled.</summary>
    public TaskError? Error { get; init; }

    /// <summary>What operators did to this result while it waited for one (retry, skip, fail), in order; null when nothing.</summary>
    public IReadOnlyList<OperatorAction>? OperatorActions { get; init; }

    /// <summary>
    /// The run whose handler call gave this result, when a rerun reused it instead of running it (null when it ran in
    /// this run): the source run, or the run that source had reused it from.
    /// </summary>
    public string? ReusedFrom { get; init; }
}
