using System.Text.Json.Nodes;

namespace DurablePipelines.Handlers;

/// <summary>A handler that lists an iterator's items when they need I/O (files in a folder, rows of a query).</summary>
public interface IIteratorSource
{
    /// <summary>Checks the iterator's config; paths are relative to the config object.</summary>
    IEnumerable<ConfigError> ValidateConfig(JsonObject? config) => [];

    /// <summary>Lists the items. The context's task input holds the run input, item and parents' outputs.</summary>
    Task<IReadOnlyList<JsonNode?>> GetItemsAsync(TaskContext context, CancellationToken cancellationToken);
}
