using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Caching.Memory;
using DurablePipelines.Payloads;
using DurablePipelines.Records;
using DurablePipelines.Storage.Blobs;

namespace DurablePipelines.Storage.Payloads;

/// <summary>
/// Large payloads as blobs <c>{runId}/{name}.json</c> in one container. A reference reads
/// <c>blob:{container}/{blob name}#{version}</c>, the version being the blob's ETag when it was stored; only
/// references into this store's own container are loaded, so a reference smuggled into a run's input cannot read run
/// records or other containers.
/// </summary>
/// <remarks>
/// A stored payload is loaded many times: every result of a task whose shared context went by reference loads it (a
/// 10,000-item iterator over its run input, about 50 KB, downloaded and parsed it once per result on the engine, where
/// each result's request is deserialized anew). The bytes a reference loaded are kept, up to <see cref="CacheBytes"/>
/// in all, and later loads of the same reference parse them without a request. The version in the reference is what makes that safe: a name
/// stored again (a run id used again) gets a new version, a load asks storage for the version its reference names
/// (a replaced one no longer loads), so a reference always loads the same value (<see cref="IsImmutable"/>), and
/// hosts may keep what they loaded. References without a version (stored before versions) still load, each time from
/// storage, whatever the blob holds then.
/// </remarks>
public sealed class BlobPayloadStore : IPayloadStore, IDisposable
{
    /// <summary>How every reference this store returns starts.</summary>
    public const string Scheme = "blob:";

    /// <summary>How many bytes of loaded payloads a store keeps, least recently used dropped first.</summary>
    public const long CacheBytes = 64L * 1024 * 1024;

    private const char VersionSeparator = '#';

    private static readonly TimeSpan s_kept = TimeSpan.FromMinutes(10);

    private static readonly BlobHttpHeaders s_jsonHeaders = new() { ContentType = "application/json" };

    private readonly BlobContainerClient _container;
    private readonly EnsureCreated _created;
    private readonly string _referencePrefix;
    private readonly MemoryCache _loaded = new(new MemoryCacheOptions { SizeLimit = CacheBytes });

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
        var stored = await _container.GetBlobClient(blobName).UploadAsync(content, new BlobUploadOptions { HttpHeaders = s_jsonHeaders }, cancellationToken);
        return $"{_referencePrefix}{blobName}{VersionSeparator}{stored.Value.ETag.ToString().Trim('"')}";
    }

    /// <inheritdoc />
    public async Task<JsonNode?> LoadAsync(string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!reference.StartsWith(_referencePrefix, StringComparison.Ordinal) || reference.Length == _referencePrefix.Length)
        {
            throw new KeyNotFoundException($"no payload '{reference}': this store loads only '{_referencePrefix}…' references");
        }

        if (_loaded.TryGetValue(reference, out ReadOnlyMemory<byte> kept))
        {
            return JsonNode.Parse(kept.Span);
        }

        var (blobName, version) = Split(reference);
        ReadOnlyMemory<byte> content;
        try
        {
            // Only the version the reference names: a name stored again is another payload.
            var options = new BlobDownloadOptions { Conditions = version is null ? null : new BlobRequestConditions { IfMatch = new ETag(version) } };
            content = (await _container.GetBlobClient(blobName).DownloadContentAsync(options, cancellationToken)).Value.Content.ToMemory();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new KeyNotFoundException($"no payload '{reference}'", e);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new KeyNotFoundException($"no payload '{reference}': its name was stored again since, with another value", e);
        }

        var value = JsonNode.Parse(content.Span);
        if (version is not null && content.Length <= CacheBytes)
        {
            _loaded.Set(reference, content, new MemoryCacheEntryOptions { Size = Math.Max(1, content.Length), SlidingExpiration = s_kept });
        }

        return value;
    }

    /// <summary>True for a reference into this store with a version: it loads that version or nothing.</summary>
    public bool IsImmutable(string reference) =>
        reference is not null && reference.StartsWith(_referencePrefix, StringComparison.Ordinal) && Split(reference).Version is not null;

    /// <summary>
    /// The blob name and version of a reference into this store. A blob name never holds a raw '#' (BlobNames escapes
    /// it): what follows the last one is the version.
    /// </summary>
    private (string BlobName, string? Version) Split(string reference)
    {
        var path = reference[_referencePrefix.Length..];
        var separator = path.LastIndexOf(VersionSeparator);
        return separator < 0 ? (path, null) : (path[..separator], separator == path.Length - 1 ? null : path[(separator + 1)..]);
    }

    /// <summary>Drops the kept payloads.</summary>
    public void Dispose() => _loaded.Dispose();
}
