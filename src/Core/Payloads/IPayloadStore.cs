using System.Text.Json.Nodes;

namespace DurablePipelines.Payloads;

/// <summary>Where large payloads live: memory in process, blob storage on the local host and on Azure.</summary>
public interface IPayloadStore
{
    /// <summary>Stores <paramref name="value"/> under a name unique in the run; returns its reference. Storing the same name again overwrites.</summary>
    Task<string> StoreAsync(string runId, string name, JsonNode? value, CancellationToken cancellationToken);

    /// <summary>Loads a stored payload by reference.</summary>
    Task<JsonNode?> LoadAsync(string reference, CancellationToken cancellationToken);

    /// <summary>
    /// True when every load of <paramref name="reference"/> that succeeds gives the same value (a name stored again
    /// gets a new reference, and the old one never loads the new value), so a host may keep what it loaded. False
    /// unless a store says so.
    /// </summary>
    bool IsImmutable(string reference) => false;
}
