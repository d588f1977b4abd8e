using DurablePipelines.Records;

namespace DurablePipelines.Storage.Queues;

/// <summary>One message on the <c>pipeline-events</c> queue.</summary>
public sealed record PipelineEvent
{
    /// <summary>The <see cref="Type"/> of a status change.</summary>
    public const string StateChangedType = "StateChanged";

    /// <summary>The <see cref="Type"/> of a run's end.</summary>
    public const string FinishedType = "Finished";

    /// <summary><c>StateChanged</c> or <c>Finished</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>When it happened (UTC).</summary>
    public DateTime Time { get; init; }

    /// <summary>The pipeline, on <c>Finished</c>.</summary>
    public string? Pipeline { get; init; }

    /// <summary>The status after the change, or the run's final status.</summary>
    public RunStatus Status { get; init; }

    /// <summary>The change, on <c>StateChanged</c>.</summary>
    public StateChange? Change { get; init; }

    /// <summary>Why the run failed or was cancelled, on <c>Finished</c>.</summary>
    public TaskError? Error { get; init; }

    /// <summary>True when the item and error were left out to fit the queue's 64 KiB message limit.</summary>
    public bool Truncated { get; init; }
}
