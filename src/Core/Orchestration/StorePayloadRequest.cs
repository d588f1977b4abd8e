using System.Text.Json.Nodes;

namespace DurablePipelines.Orchestration;

/// <summary>Input of <see cref="ActivityNames.StorePayload"/>: a large value to store; the output is its reference.</summary>
/// <param name="RunId">The run it belongs to.</param>
/// <param name="Name">A name unique in the run, such as <c>0/load/context</c>.</param>
/// <param name="Value">The value.</param>
public sealed record StorePayloadRequest(string RunId, string Name, JsonNode? Value) : IActivityInput
{
    /// <inheritdoc />
    public string Key => ActivityKeys.Payload(RunId, Name);
}
