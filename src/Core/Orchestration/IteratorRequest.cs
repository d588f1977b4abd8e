using System.Text.Json.Nodes;

namespace DurablePipelines.Orchestration;

/// <summary>Input of <see cref="ActivityNames.ResolveIterator"/>.</summary>
public sealed record IteratorRequest : IActivityInput
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The pipeline's name.</summary>
    public required string Pipeline { get; init; }

    /// <summary>The pipeline result's index; -1 for the pipeline iterator.</summary>
    public int PipelineResult { get; init; }

    /// <summary>The task whose iterator this is; null for the pipeline iterator.</summary>
    public string? Task { get; init; }

    /// <summary>A path to read through stored payloads, or null.</summary>
    public string? Path { get; init; }

    /// <summary>An iterator source handler, or null.</summary>
    public string? Handler { get; init; }

    /// <summary>The source's config.</summary>
    public JsonObject? Config { get; init; }

    /// <summary><c>{ input, item, parents }</c>, or a payload reference to it.</summary>
    public JsonNode? Context { get; init; }

    /// <inheritdoc />
    public string Key => ActivityKeys.Iterator(RunId, PipelineResult, Task);
}
