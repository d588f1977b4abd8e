using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DurablePipelines.Storage.Blobs;

namespace DurablePipelines.Storage.Checkpoints;

/// <summary>
/// The local durable runner's checkpoints: one blob per key, <c>{runId}/{escaped key}.json</c>, in a container of
/// their own so listing runs never walks them. Keys may hold '/', ':' or any task name: they are escaped into one
/// name segment and unescaped when loaded. A key too long for a blob name is stored under its SHA-256 with the
/// escaped key in the blob's metadata. Loads list once and download in parallel (bounded).
/// </summary>
public sealed class BlobCheckpointStore : DurablePipelines.LocalDurable.ICheckpointStore
{
    private const string HashedPrefix = "~sha256-";
    private const string KeyMetadata = "key";
    private const string Suffix = ".json";

    // Metadata (all of a blob's names and values) is limited to 8 KiB by the service.
    private const int MaxEscapedKeyLength = 8000;

    private static readonly BlobHttpHeaders JsonHeaders = new() { ContentType = "application/json" };

    private readonly BlobContainerClient _container;
    private readonly EnsureCreated _created;
    private readonly int _maxConcurrency;

    /// <summary>A store over <paramref name="container"/>, created on first use.</summary>
    /// <param name="container">The checkpoints container.</param>
    /// <param name="maxConcurrency">How many downloads, uploads or deletes one call runs at once.</param>
    public BlobCheckpointStore(BlobContainerClient container, int maxConcurrency = 32)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _container = container;
        _maxConcurrency = maxConcurrency;
        _created = new EnsureCreated(ct => container.CreateIfNotExistsAsync(cancellationToken: ct));
    }

    /// <summary>Saves (or overwrites) one checkpoint.</summary>
    public async Task SaveAsync(string runId, string key, string json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(json);
        var (blobName, metadata) = BlobFor(runId, key);
        await _created.EnsureAsync(cancellationToken);
        var options = new BlobUploadOptions { HttpHeaders = JsonHeaders, Metadata = metadata };
        await _container.GetBlobClient(blobName).UploadAsync(BinaryData.FromString(json), options, cancellationToken);
    }

    /// <summary>Saves many checkpoints of one run, in parallel; the order they land in is not defined.</summary>
    public async Task SaveManyAsync(string runId, IEnumerable<KeyValuePair<string, string>> checkpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        await _created.EnsureAsync(cancellationToken);
        await Parallel.ForEachAsync(checkpoints, Bounded(cancellationToken), (checkpoint, ct) =>
            new ValueTask(SaveAsync(runId, checkpoint.Key, checkpoint.Value, ct)));
    }

    /// <summary>Every checkpoint of a run, key to JSON; empty when there are none.</summary>
    public async Task<IReadOnlyDictionary<string, string>> LoadAllAsync(string runId, CancellationToken cancellationToken)
    {
        var prefix = BlobNames.RunPrefix(runId);
        await _created.EnsureAsync(cancellationToken);
        var loaded = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var listing = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, ResponseFormat = StorageResponseFormat.Xml }, cancellationToken);
        await Parallel.ForEachAsync(listing, Bounded(cancellationToken), async (item, ct) =>
        {
            if (!item.Name.EndsWith(Suffix, StringComparison.Ordinal))
            {
                return;
            }

            BlobDownloadResult result;
            try
            {
                result = (await _container.GetBlobClient(item.Name).DownloadContentAsync(ct)).Value;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return; // deleted since the listing
            }

            loaded[KeyOf(item.Name, prefix, result.Details.Metadata)] = result.Content.ToString();
        });

        return new Dictionary<string, string>(loaded, StringComparer.Ordinal);
    }

    /// <summary>Deletes every checkpoint of a run.</summary>
    public async Task DeleteRunAsync(string runId, CancellationToken cancellationToken)
    {
        var prefix = BlobNames.RunPrefix(runId);
        await _created.EnsureAsync(cancellationToken);
        var listing = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, ResponseFormat = StorageResponseFormat.Xml }, cancellationToken);
        await Parallel.ForEachAsync(listing, Bounded(cancellationToken), async (item, ct) =>
            await _container.GetBlobClient(item.Name).DeleteIfExistsAsync(cancellationToken: ct));
    }

    private ParallelOptions Bounded(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = _maxConcurrency, CancellationToken = cancellationToken };

    private static (string BlobName, Dictionary<string, string>? Metadata) BlobFor(string runId, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var prefix = BlobNames.RunPrefix(runId);
        var escaped = BlobNames.Segment(key);
        var name = prefix + escaped + Suffix;
        if (name.Length <= BlobNames.MaxLength && !escaped.StartsWith(HashedPrefix, StringComparison.Ordinal))
        {
            return (name, null);
        }

        if (escaped.Length > MaxEscapedKeyLength)
        {
            throw new ArgumentException($"checkpoint key of run '{runId}' is too long ({escaped.Length} escaped characters, at most {MaxEscapedKeyLength})", nameof(key));
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return (prefix + HashedPrefix + hash + Suffix, new Dictionary<string, string> { [KeyMetadata] = escaped });
    }

    private static string KeyOf(string blobName, string prefix, IDictionary<string, string>? metadata)
    {
        var segment = blobName[prefix.Length..^Suffix.Length];
        return segment.StartsWith(HashedPrefix, StringComparison.Ordinal) && metadata is not null && metadata.TryGetValue(KeyMetadata, out var escaped)
            ? BlobNames.Unsegment(escaped)
            : BlobNames.Unsegment(segment);
    }
}
