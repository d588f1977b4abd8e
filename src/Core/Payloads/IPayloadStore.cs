using System.Text.Json.Nodes;

namespace DurablePipelines.Payloads;

/// <summary>Where large payloads live: memory in process, blob storage on the local host and on Azure.</summary>
public interface IPayloadStore
{
    /// <summary>Stores <paramref name="value"/> under a name unique in the run; returns its reference. Storing the same name again overwrites.</summary>
    Task<string> StoreAsync(string runId, string name, JsonNode? value, CancellationToken cancellationToken);

    /// <summary>Loads a stored payload by reference.</summary>
    Task<JsonNode?> LoadAsync(string reference, CancellationToken cancellationToken);
}
