using System.Text.Json.Nodes;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>Output of <see cref="ActivityNames.ResolveIterator"/>: the items, or why there are none.</summary>
/// <param name="Items">The items, or null when resolving failed.</param>
/// <param name="Error">Why resolving failed.</param>
public sealed record IteratorOutcome(IReadOnlyList<JsonNode?>? Items, TaskError? Error);
