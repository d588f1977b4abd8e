namespace DurablePipelines.Orchestration;

/// <summary>
/// Knobs of the algorithm that travel inside the orchestration input, so a replay always sees the values the
/// run started with.
/// </summary>
public sealed record OrchestrationSettings
{
    /// <summary>A task iterator with more items than this runs in sub-orchestrations of this many items.</summary>
    public int ChunkSize { get; init; } = 500;

    /// <summary>Payloads (outputs, task context) larger than this many bytes of JSON go by reference.</summary>
    public int InlinePayloadLimit { get; init; } = 16 * 1024;

    /// <summary>Validates the settings; every problem at once.</summary>
    public IEnumerable<string> Validate()
    {
        if (ChunkSize < 1)
        {
            yield return "ChunkSize must be at least 1";
        }

        if (InlinePayloadLimit < 256)
        {
            yield return "InlinePayloadLimit must be at least 256 bytes";
        }
    }
}
