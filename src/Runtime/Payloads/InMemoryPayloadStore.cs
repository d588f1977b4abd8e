using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace DurablePipelines.Payloads;

/// <summary>
/// Payloads in process memory, for the in-process runners. Stored as JSON text so a load never shares nodes. A
/// reference <c>memory:{runId}/{name}#{version}</c> names the version stored: a name stored again gets a new one and
/// replaces the value, and the older reference no longer loads, so a reference always loads the same value.
/// </summary>
public sealed class InMemoryPayloadStore : IPayloadStore
{
    private const string Scheme = "memory:";

    private readonly ConcurrentDictionary<string, (long Version, string Json)> _payloads = new(StringComparer.Ordinal);
    private long _versions;

    /// <summary>How many payloads are stored.</summary>
    public int Count => _payloads.Count;

    /// <inheritdoc />
    public Task<string> StoreAsync(string runId, string name, JsonNode? value, CancellationToken cancellationToken)
    {
        var key = $"{runId}/{name}";
        var version = Interlocked.Increment(ref _versions);
        _payloads[key] = (version, value?.ToJsonString() ?? "null");
        return Task.FromResult($"{Scheme}{key}#{version}");
    }

    /// <inheritdoc />
    public Task<JsonNode?> LoadAsync(string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!TrySplit(reference, out var key, out var version) || !_payloads.TryGetValue(key, out var stored))
        {
            throw new KeyNotFoundException($"no payload '{reference}'");
        }

        return version == stored.Version
            ? Task.FromResult(JsonNode.Parse(stored.Json))
            : throw new KeyNotFoundException($"no payload '{reference}': its name was stored again since, with another value");
    }

    /// <inheritdoc />
    public bool IsImmutable(string reference) => TrySplit(reference, out _, out _);

    private static bool TrySplit(string reference, out string key, out long version)
    {
        (key, version) = (string.Empty, 0);
        var separator = reference.LastIndexOf('#');
        if (!reference.StartsWith(Scheme, StringComparison.Ordinal) || separator < Scheme.Length || !long.TryParse(reference.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out version))
        {
            return false;
        }

        key = reference[Scheme.Length..separator];
        return true;
    }
}
