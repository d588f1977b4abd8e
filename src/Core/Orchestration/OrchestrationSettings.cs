namespace DurablePipelines.Orchestration;

/// <summary>
/// Knobs of the algorithm that travel inside the orchestration input, so a replay always sees the values the
/// run started with. The one home of their defaults and limits: the hosts' <c>Pipelines</c> options take theirs
/// from here and validate with <see cref="Validate"/>.
/// </summary>
public sealed record OrchestrationSettings
{
    /// <summary>The default <see cref="ChunkSize"/>.</summary>
    public const int DefaultChunkSize = 500;

    /// <summary>The default <see cref="InlinePayloadLimit"/>: 16 KiB.</summary>
    public const int DefaultInlinePayloadLimit = 16 * 1024;

    /// <summary>The smallest <see cref="InlinePayloadLimit"/>: below it nearly every value would go by a reference hardly smaller than itself.</summary>
    public const int MinInlinePayloadLimit = 256;

    /// <summary>A task iterator with more items than this runs in sub-orchestrations of this many items.</summary>
    public int ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>Payloads (outputs, task context) larger than this many bytes of JSON go by reference.</summary>
    public int InlinePayloadLimit { get; init; } = DefaultInlinePayloadLimit;

    /// <summary>
    /// Every problem with the settings at once; each names its setting after <paramref name="prefix"/>
    /// (<c>"Pipelines:"</c> for the hosts' options).
    /// </summary>
    public IEnumerable<string> Validate(string prefix = "")
    {
        if (ChunkSize < 1)
        {
            yield return $"{prefix}{nameof(ChunkSize)} must be at least 1";
        }

        if (InlinePayloadLimit < MinInlinePayloadLimit)
        {
            yield return $"{prefix}{nameof(InlinePayloadLimit)} must be at least {MinInlinePayloadLimit} bytes";
        }
    }

    /// <summary>Throws an <see cref="ArgumentException"/> for <paramref name="paramName"/> that names every problem, if there is one.</summary>
    public void ThrowIfInvalid(string paramName)
    {
        var problems = Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"invalid orchestration settings: {string.Join("; ", problems)}", paramName);
        }
    }
}
