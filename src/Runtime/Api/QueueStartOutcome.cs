namespace DurablePipelines.Api;

/// <summary>What to do with a <c>pipeline-starts</c> message after trying to start its run.</summary>
public enum QueueStartDisposition
{
    /// <summary>The run started (or an active run with the same id already holds it): delete the message.</summary>
    Accepted,

    /// <summary>The message can never succeed (bad JSON, unknown pipeline, invalid input): poison it at once.</summary>
    Poison,

    /// <summary>A transient failure: leave the message to be retried after its visibility timeout.</summary>
    Retry,
}

/// <summary>The outcome of one queue start.</summary>
/// <param name="Disposition">What to do with the message.</param>
/// <param name="RunId">The run id, when one was accepted.</param>
/// <param name="Reason">Why it was poisoned or must be retried, for the poison message and the logs.</param>
public sealed record QueueStartOutcome(QueueStartDisposition Disposition, string? RunId, string? Reason);
