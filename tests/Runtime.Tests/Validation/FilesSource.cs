using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Handlers;

namespace DurablePipelines.Tests.Validation;

/// <summary>An iterator source with a config schema: <c>folder</c> (required string).</summary>
internal sealed class FilesSource : IIteratorSource
{
    private static readonly ConfigReader s_schema = new ConfigReader().Member("folder", "a folder path", true, JsonValueKind.String);

    public IEnumerable<ConfigError> ValidateConfig(JsonObject? config) => s_schema.Validate(config);

    public Task<IReadOnlyList<JsonNode?>> GetItemsAsync(TaskContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JsonNode?>>(["a.txt", "b.txt"]);
}
