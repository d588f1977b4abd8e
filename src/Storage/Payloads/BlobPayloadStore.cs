using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DurablePipelines.Payloads;
using DurablePipelines.Records;
using DurablePipelines.Storage.Blobs;

namespace DurablePipelines.Storage.Payloads;

/// <summary>
/// Large payloads as blobs <c>{runId}/{name}.json</c> in one container. A reference reads
/// <c>blob:{container}/{blob name}</c>; only references into this store's own container are loaded, so a
/// reference smuggled into a run's input cannot read run records or other containers.
/// </summary>
public sealed class BlobPayloadStore : IPayloadStore
{
    /// <summary>How every reference this store returns starts.</summary>
    public const string Scheme = "blob:";

    private static readonly BlobHttpHeaders s_jsonHeaders = new() { ContentType = "application/json" };

    private readonly BlobContainerClient _container;
    private readonly EnsureCreated _created;
    private readonly string _referencePrefix;

    /// <summary>A store over <paramref name="container"/>, created on first use.</summary>
    public BlobPayloadStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
        _created = new EnsureCreated(ct => container.CreateIfNotExistsAsync(cancellationToken: ct));
        _referencePrefix = $"{Scheme}{container.Name}/";
    }

    /// <inheritdoc />
    public async Task<string> StoreAsync(string runId, string name, JsonNode? value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var blobName = $"{BlobNames.RunPrefix(runId)}{BlobNames.Segment(name)}.json";
        if (blobName.Length > BlobNames.MaxLength)
        {
            throw new ArgumentException($"payload name '{name}' of run '{runId}' makes a blob name longer than {BlobNames.MaxLength} characters", nameof(name));
        }

        await _created.EnsureAsync(cancellationToken);
        var content = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(value, PipelineJson.Options));
        await _container.GetBlobClient(blobName).UploadAsync(content, new BlobUploadOptions { HttpHeaders = s_jsonHeaders }, cancellationToken);
        return _referencePrefix + blobName;
    }

    /// <inheritdoc />
    public async Task<JsonNode?> LoadAsync(string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!reference.StartsWith(_referencePrefix, StringComparison.Ordinal) || reference.Length == _referencePrefix.Length)
        {
            throw new KeyNotFoundException($"no payload '{reference}': this store loads only '{_referencePrefix}…' references");
        }

        try
        {
            var result = await _container.GetBlobClient(reference[_referencePrefix.Length..]).DownloadContentAsync(cancellationToken);
            return JsonNode.Parse(result.Value.Content.ToMemory().Span);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new KeyNotFoundException($"no payload '{reference}'", e);
        }
    }
}
