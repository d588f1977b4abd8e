using System.Text.Json.Nodes;

namespace DurablePipelines.Iterators;

/// <summary>What evaluating an iterator path gave: items, an error, or the need to load a stored payload first.</summary>
public sealed record IteratorEvaluation
{
    private IteratorEvaluation()
    {
    }

    /// <summary>The items, when found.</summary>
    public IReadOnlyList<JsonNode?>? Items { get; private init; }

    /// <summary>Why there are no items.</summary>
    public string? Error { get; private init; }

    /// <summary>True when the path crosses a stored payload: resolve it in an activity.</summary>
    public bool RequiresPayload { get; private init; }

    /// <summary>The path crosses a stored payload.</summary>
    public static IteratorEvaluation NeedsPayload { get; } = new() { RequiresPayload = true };

    /// <summary>Items found.</summary>
    public static IteratorEvaluation Found(IReadOnlyList<JsonNode?> items) => new() { Items = items };

    /// <summary>No items, and why.</summary>
    public static IteratorEvaluation Failed(string error) => new() { Error = error };
}
