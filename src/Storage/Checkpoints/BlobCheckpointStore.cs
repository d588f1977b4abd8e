using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DurablePipelines.Storage.Blobs;

namespace DurablePipelines.Storage.Checkpoints;

/// <summary>
/// The local durable runner's checkpoints, in a container of their own so listing runs never walks them, every
/// blob of a run under <c>{runId}/</c>. A single checkpoint is one blob, <c>{runId}/{escaped key}.json</c>. Keys may
/// hold '/', ':' or any task name: they are escaped into one name segment and unescaped when loaded. A key too long
/// for a blob name, or whose escaped form starts like one of the store's own names ('~sha256-', '~group-'), is
/// stored under its SHA-256 with the escaped key in the blob's metadata. A group of checkpoints is one blob,
/// <c>{runId}/~group-{UTC time}-{guid}.json</c>, holding a JSON object of key to checkpoint JSON. Loads list once and
/// download in parallel (bounded).
/// </summary>
/// <remarks>
/// A key stored in more than one blob (which the local runner never does: a key is checkpointed once, and
/// <c>$input</c> alone is written singly) loads deterministically: single-key blobs first, then group blobs in
/// name order, a later copy replacing an earlier one. Group names start with their writer's clock, so the group
/// written last wins, and a group wins over a single-key blob, which in this layout is either the run's input or a
/// checkpoint of a host from before groups, older than any group of the same run.
/// </remarks>
public sealed class BlobCheckpointStore : DurablePipelines.LocalDurable.ICheckpointStore
{
    private const string HashedPrefix = "~sha256-";
    private const string GroupPrefix = "~group-";
    private const string KeyMetadata = "key";
    private const string Suffix = ".json";

    // Metadata (all of a blob's names and values) is limited to 8 KiB by the service.
    private const int MaxEscapedKeyLength = 8000;

    private static readonly BlobHttpHeaders JsonHeaders = new() { ContentType = "application/json" };

    // A group nests each checkpoint one level down, so a checkpoint as deep as the serializer's limit (64) is one
    // deeper in its group than the reader's default allows.
    private static readonly JsonDocumentOptions GroupReading = new() { MaxDepth = 256 };

    private readonly BlobContainerClient _container;
    private readonly EnsureCreated _created;
    private readonly int _maxConcurrency;
    private readonly TimeProvider _time;

    /// <summary>A store over <paramref name="container"/>, created on first use.</summary>
    /// <param name="container">The checkpoints container.</param>
    /// <param name="maxConcurrency">How many downloads or deletes one call runs at once.</param>
    /// <param name="time">The clock that orders group blobs' names; the system clock when not given.</param>
    public BlobCheckpointStore(BlobContainerClient container, int maxConcurrency = 32, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _container = container;
        _maxConcurrency = maxConcurrency;
        _time = time ?? TimeProvider.System;
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

    /// <summary>
    /// Saves many checkpoints of one run as one blob, which storage writes whole or not at all. The values must be
    /// JSON (they are stored as JSON values, not strings); a key given twice keeps its last value.
    /// </summary>
    public async Task SaveGroupAsync(string runId, IReadOnlyList<KeyValuePair<string, string>> checkpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        var prefix = BlobNames.RunPrefix(runId);
        if (checkpoints.Count == 0)
        {
            return;
        }

        var content = GroupContent(checkpoints);
        await _created.EnsureAsync(cancellationToken);

        // No If-None-Match: the name is already unique, and the condition would turn the client's own retry of an
        // upload that did land into a 409, failing callers whose checkpoints are stored.
        var options = new BlobUploadOptions { HttpHeaders = JsonHeaders };
        await _container.GetBlobClient(prefix + GroupName()).UploadAsync(content, options, cancellationToken);
    }

    /// <summary>
    /// Every checkpoint of a run, key to JSON, from single-key and group blobs alike; empty when there are none.
    /// A key in more than one blob loads as the class remarks say.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> LoadAllAsync(string runId, CancellationToken cancellationToken)
    {
        var prefix = BlobNames.RunPrefix(runId);
        await _created.EnsureAsync(cancellationToken);
        var singles = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var groups = new ConcurrentBag<(string Name, BinaryData Content)>();
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

            if (IsGroup(item.Name, prefix))
            {
                groups.Add((item.Name, result.Content));
            }
            else
            {
                singles[KeyOf(item.Name, prefix, result.Details.Metadata)] = result.Content.ToString();
            }
        });

        var loaded = new Dictionary<string, string>(singles, StringComparer.Ordinal);
        foreach (var (_, content) in groups.OrderBy(g => g.Name, StringComparer.Ordinal))
        {
            ReadGroup(content, loaded);
        }

        return loaded;
    }

    /// <summary>Deletes every checkpoint of a run, single-key and group blobs alike (all are under the run's prefix).</summary>
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
        if (name.Length <= BlobNames.MaxLength && !escaped.StartsWith(HashedPrefix, StringComparison.Ordinal) && !escaped.StartsWith(GroupPrefix, StringComparison.Ordinal))
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

    /// <summary>
    /// A new group's blob name. The time (UTC, fixed width, to 100 ns) makes name order write order on one clock,
    /// which the duplicate rule relies on and which survives restarts (a counter would start again); the GUID
    /// makes two writers of a run, or two groups in one tick, never share a name.
    /// </summary>
    private string GroupName() =>
        string.Create(CultureInfo.InvariantCulture, $"{GroupPrefix}{_time.GetUtcNow().UtcDateTime:yyyyMMdd'T'HHmmssfffffff'Z'}-{Guid.NewGuid():N}{Suffix}");

    private static bool IsGroup(string blobName, string prefix) =>
        blobName.AsSpan(prefix.Length).StartsWith(GroupPrefix, StringComparison.Ordinal);

    private static BinaryData GroupContent(IReadOnlyList<KeyValuePair<string, string>> checkpoints)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, json) in checkpoints)
            {
                ArgumentNullException.ThrowIfNull(key);
                ArgumentNullException.ThrowIfNull(json);
                writer.WritePropertyName(key);
                writer.WriteRawValue(json);
            }

            writer.WriteEndObject();
        }

        return new BinaryData(buffer.WrittenMemory);
    }

    // GetRawText gives each value back as written; a key twice in one group keeps its last value, as in SaveGroupAsync.
    private static void ReadGroup(BinaryData content, Dictionary<string, string> loaded)
    {
        using var group = JsonDocument.Parse(content.ToMemory(), GroupReading);
        foreach (var checkpoint in group.RootElement.EnumerateObject())
        {
            loaded[checkpoint.Name] = checkpoint.Value.GetRawText();
        }
    }
}
