using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace DurablePipelines.Payloads;

/// <summary>Payloads in process memory, for the in-process runners. Stored as JSON text so a load never shares nodes.</summary>
public sealed class InMemoryPayloadStore : IPayloadStore
{
    private readonly ConcurrentDictionary<string, string> _payloads = new(StringComparer.Ordinal);

    /// <summary>How many payloads are stored.</summary>
    public int Count => _payloads.Count;

    /// <inheritdoc />
    public Task<string> StoreAsync(string runId, string name, JsonNode? value, CancellationToken cancellationToken)
    {
        var reference = $"memory:{runId}/{name}";
        _payloads[reference] = value?.ToJsonString() ?? "null";
        return Task.FromResult(reference);
    }

    /// <inheritdoc />
    public Task<JsonNode?> LoadAsync(string reference, CancellationToken cancellationToken) =>
        _payloads.TryGetValue(reference, out var json)
            ? Task.FromResult(JsonNode.Parse(json))
            : throw new KeyNotFoundException($"no payload '{reference}'");
}
