namespace DurablePipelines.Storage.Queues;

/// <summary>A start message that cannot succeed, as the <c>pipeline-starts-poison</c> queue holds it.</summary>
public sealed record PoisonMessage
{
    /// <summary>Why it was poisoned: the start's own reason, or the last one after too many retries.</summary>
    public required string Reason { get; init; }

    /// <summary>The original message text (base64 decoded when it was base64 JSON); null when in <see cref="MessageBlob"/>.</summary>
    public string? Message { get; init; }

    /// <summary>How many times the message had been received.</summary>
    public long DequeueCount { get; init; }

    /// <summary>When it was poisoned (UTC).</summary>
    public DateTime Time { get; init; }

    /// <summary>The original message's id.</summary>
    public string? MessageId { get; init; }

    /// <summary>Where the original text is when it was too large to quote here (<c>blob:{container}/{name}</c>).</summary>
    public string? MessageBlob { get; init; }
}
