using System.Text.Json.Nodes;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>What an operator does to a task result that waits for one.</summary>
public enum RepairAction
{
    /// <summary>Runs the result again (with the task's retries), optionally with an edited config or item.</summary>
    Retry,

    /// <summary>Ends the result as succeeded, with the output the operator gives.</summary>
    Skip,

    /// <summary>Ends the result as failed, with its last attempt's error, as it would have without repair.</summary>
    Fail,
}

/// <summary>
/// An operator's action on one waiting task result (<c>POST /api/runs/{runId}/results/{pipelineResult}/{task}/{taskResult}/…</c>),
/// raised on the run as <see cref="OrchestrationEvents.Repair"/>.
/// </summary>
public sealed record RepairMessage
{
    /// <summary>The pipeline result's index.</summary>
    public int PipelineResult { get; init; }

    /// <summary>The task's name.</summary>
    public required string Task { get; init; }

    /// <summary>The task result's index.</summary>
    public int TaskResult { get; init; }

    /// <summary>What to do.</summary>
    public RepairAction Action { get; init; }

    /// <summary>Who acts, as the request says (free text); null when it does not say.</summary>
    public string? By { get; init; }

    /// <summary>For <see cref="RepairAction.Skip"/>: the result's output.</summary>
    public JsonNode? Output { get; init; }

    /// <summary>For <see cref="RepairAction.Retry"/>: the config the next attempts run with instead of the task's; null keeps it.</summary>
    public JsonObject? Config { get; init; }

    /// <summary>For <see cref="RepairAction.Retry"/>: the item the next attempts run with instead of the result's; null keeps it.</summary>
    public JsonNode? Item { get; init; }
}

/// <summary>
/// Tells the run's own instance that a result of instance <paramref name="InstanceId"/> began waiting for an operator
/// (<paramref name="Ended"/> false) or stopped waiting without one (its timeout, or the run's stop).
/// </summary>
public sealed record RepairWaitNotice(string InstanceId, WaitingResult Result, bool Ended);
