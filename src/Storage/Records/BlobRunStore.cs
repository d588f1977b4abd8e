using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Storage.Blobs;

namespace DurablePipelines.Storage.Records;

/// <summary>
/// Run records and run logs in a blob container: <c>{runId}/record.json</c> (with the pipeline, status and
/// creation time as metadata, so a listing can filter and sort without reading records) and the append blob
/// <c>{runId}/log.jsonl</c>, one <see cref="StateChange"/> per line. Claims are atomic across processes: they
/// rely on blob conditions only, never on a lock in this process. A claim's record carries the run as admitted in
/// an extra <c>$admitted</c> property (one write per start); the next save of the record drops it. Once the claim is
/// won, <see cref="PinAsync"/> keeps the run as admitted, without its rerun, in <c>{runId}/pinned.json</c> for as
/// long as the run's record (<see cref="GetPinnedAsync"/>); a claim that replaces the run deletes it.
/// </summary>
public sealed class BlobRunStore : IRunStore
{
    private const string LogName = "log.jsonl";
    private const string PinnedName = "pinned.json";
    private const string AdmittedProperty = "$admitted";
    private const int MaxClaimAttempts = 20;
    private const int MaxListDownloads = 16;

    // An append block may hold 4 MiB on every service version Azurite and Azure accept.
    private const int MaxAppendBlock = 4 * 1024 * 1024;

    // The admitted run is read as a document first: as deep as the serializer allows, like every stored document.
    private static readonly JsonDocumentOptions s_recordReading = new() { MaxDepth = JsonLimits.MaxDepth };

    private static readonly BlobHttpHeaders s_jsonHeaders = new() { ContentType = "application/json" };
    private static readonly BlobHttpHeaders s_jsonLinesHeaders = new() { ContentType = "application/x-ndjson" };

    private readonly BlobContainerClient _container;
    private readonly EnsureCreated _created;

    /// <summary>A store over <paramref name="container"/>, created on first use.</summary>
    public BlobRunStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
        _created = new EnsureCreated(ct => container.CreateIfNotExistsAsync(cancellationToken: ct));
    }

    /// <inheritdoc />
    public async Task<RunClaim> TryCreateAsync(PipelineExecution record, RunPipelineInput? admitted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _created.EnsureAsync(cancellationToken);
        var blob = RecordBlob(record.RunId);
        var content = Content(record, admitted);

        // Read, decide, write: the write is conditional on what was read, so of many claimers exactly one wins;
        // a loser reads again and sees the winner's active record.
        var conditions = new BlobRequestConditions { IfNoneMatch = ETag.All };
        for (var attempt = 0; attempt < MaxClaimAttempts; attempt++)
        {
            try
            {
                await blob.UploadAsync(content, Upload(record, conditions), cancellationToken);

                // The claim is won: a replaced run's log and pinned run go too. Not cancellable from here on, so a
                // won claim is never reported as a failure. A new id has neither (two requests fewer per start).
                if (conditions.IfMatch is not null)
                {
                    await Task.WhenAll(
                        LogBlob(record.RunId).DeleteIfExistsAsync(cancellationToken: CancellationToken.None),
                        PinnedBlob(record.RunId).DeleteIfExistsAsync(cancellationToken: CancellationToken.None));
                }

                return new RunClaim(true, null);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Someone else's record is there, or changed since it was read.
            }

            var current = await DownloadRecordAsync(blob, cancellationToken);
            if (current is null)
            {
                conditions = new BlobRequestConditions { IfNoneMatch = ETag.All };
                continue;
            }

            if (!current.Value.Record.Status.IsFinal())
            {
                return new RunClaim(false, current.Value.Record);
            }

            conditions = new BlobRequestConditions { IfMatch = current.Value.ETag };
        }

        throw new InvalidOperationException(
            $"Could not claim run id '{record.RunId}': its record changed under every one of {MaxClaimAttempts} attempts.");
    }

    /// <inheritdoc />
    public async Task PinAsync(RunPipelineInput admitted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admitted);
        await _created.EnsureAsync(cancellationToken);
        var content = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(admitted with { Rerun = null }, PipelineJson.Options));
        await PinnedBlob(admitted.RunId).UploadAsync(content, new BlobUploadOptions { HttpHeaders = s_jsonHeaders }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task SaveAsync(PipelineExecution record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _created.EnsureAsync(cancellationToken);
        var content = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(record, PipelineJson.Options));
        await RecordBlob(record.RunId).UploadAsync(content, Upload(record, conditions: null), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Read, decide, write on the ETag read: a record saved in between is never overwritten.</remarks>
    public async Task<bool> MarkStartedAsync(string runId, DateTime createdAt, DateTime startedAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var blob = RecordBlob(runId);
        for (var attempt = 0; attempt < MaxClaimAttempts; attempt++)
        {
            var current = await DownloadRecordAsync(blob, cancellationToken);
            if (current is not { } read || !RunRecords.CanStart(read.Record, createdAt))
            {
                return false;
            }

            var started = RunRecords.Started(read.Record, startedAt);
            try
            {
                await blob.UploadAsync(Content(started, admitted: null), Upload(started, new BlobRequestConditions { IfMatch = read.ETag }), cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Saved since it was read: decide again on what is there now.
            }
        }

        throw new InvalidOperationException($"Could not mark run '{runId}' started: its record changed under every one of {MaxClaimAttempts} attempts.");
    }

    /// <inheritdoc />
    public async Task<PipelineExecution?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var current = await DownloadRecordAsync(RecordBlob(runId), cancellationToken);
        return current?.Record;
    }

    /// <inheritdoc />
    public async Task<RunPipelineInput?> GetAdmittedAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        BinaryData content;
        try
        {
            content = (await RecordBlob(runId).DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        using var document = JsonDocument.Parse(content.ToMemory(), s_recordReading);
        return document.RootElement.TryGetProperty(AdmittedProperty, out var admitted)
            ? admitted.Deserialize<RunPipelineInput>(PipelineJson.Options)
            : null;
    }

    /// <inheritdoc />
    public async Task<RunPipelineInput?> GetPinnedAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        try
        {
            var content = (await PinnedBlob(runId).DownloadContentAsync(cancellationToken)).Value.Content;
            return JsonSerializer.Deserialize<RunPipelineInput>(content.ToMemory().Span, PipelineJson.Options);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PipelineExecution>> ListAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await _created.EnsureAsync(cancellationToken);
        var top = Math.Max(query.Top, 1);
        var entries = new List<RunListEntry>();
        var options = new GetBlobsOptions { Traits = BlobTraits.Metadata, ResponseFormat = Azure.Storage.StorageResponseFormat.Xml };
        await foreach (var item in _container.GetBlobsAsync(options, cancellationToken))
        {
            var entry = RunListEntry.From(item);
            if (entry is not null && (entry.Unknown || entry.Matches(query)))
            {
                entries.Add(entry);
            }
        }

        // Records written without metadata (by hand, or by an older version) are read to be placed.
        await FillUnknownAsync(entries, cancellationToken);
        var chosen = entries
            .Where(e => e.Matches(query))
            .OrderByDescending(e => e.CreatedTicks)
            .ThenByDescending(e => e.RunId, StringComparer.Ordinal)
            .Take(top)
            .ToList();

        var records = new PipelineExecution?[chosen.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, chosen.Count),
            new ParallelOptions { MaxDegreeOfParallelism = MaxListDownloads, CancellationToken = cancellationToken },
            async (i, ct) => records[i] = chosen[i].Record ?? (await DownloadRecordAsync(RecordBlob(chosen[i].RunId), ct))?.Record);

        // A record may have changed or gone between the listing and its download.
        return [.. records.OfType<PipelineExecution>().Where(r => Matches(r, query))];
    }

    /// <inheritdoc />
    public async Task AppendLogAsync(string runId, IReadOnlyList<StateChange> rows, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        await _created.EnsureAsync(cancellationToken);
        var blob = LogBlob(runId);
        foreach (var block in RunLogLines.Blocks(rows, MaxAppendBlock))
        {
            try
            {
                await blob.AppendBlockAsync(new MemoryStream(block, writable: false), cancellationToken: cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                await blob.CreateIfNotExistsAsync(new AppendBlobCreateOptions { HttpHeaders = s_jsonLinesHeaders }, cancellationToken);
                await blob.AppendBlockAsync(new MemoryStream(block, writable: false), cancellationToken: cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StateChange>> GetLogAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        BinaryData content;
        try
        {
            content = (await LogBlob(runId).DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }

        return RunLogLines.Parse(content.ToMemory(), runId);
    }

    private BlobClient RecordBlob(string runId) => _container.GetBlobClient(BlobNames.RunPrefix(runId) + RunListEntry.RecordName);

    private BlobClient PinnedBlob(string runId) => _container.GetBlobClient(BlobNames.RunPrefix(runId) + PinnedName);

    private AppendBlobClient LogBlob(string runId) => _container.GetAppendBlobClient(BlobNames.RunPrefix(runId) + LogName);

    private static BinaryData Content(PipelineExecution record, RunPipelineInput? admitted)
    {
        if (admitted is null)
        {
            return BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(record, PipelineJson.Options));
        }

        var node = JsonSerializer.SerializeToNode(record, PipelineJson.Options)!.AsObject();
        node[AdmittedProperty] = JsonSerializer.SerializeToNode(admitted, PipelineJson.Options);
        return BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(node, PipelineJson.Options));
    }

    private static BlobUploadOptions Upload(PipelineExecution record, BlobRequestConditions? conditions) => new()
    {
        Conditions = conditions,
        HttpHeaders = s_jsonHeaders,
        Metadata = RunListEntry.Metadata(record),
    };

    private static async Task<(PipelineExecution Record, ETag ETag)?> DownloadRecordAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var result = (await blob.DownloadContentAsync(cancellationToken)).Value;
            var record = JsonSerializer.Deserialize<PipelineExecution>(result.Content.ToMemory().Span, PipelineJson.Options)
                ?? throw new JsonException($"blob '{blob.Name}' holds a null record");
            return (record, result.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private async Task FillUnknownAsync(List<RunListEntry> entries, CancellationToken cancellationToken)
    {
        var unknown = entries.Where(e => e.Unknown).ToList();
        await Parallel.ForEachAsync(
            unknown,
            new ParallelOptions { MaxDegreeOfParallelism = MaxListDownloads, CancellationToken = cancellationToken },
            async (entry, ct) => entry.Fill((await DownloadRecordAsync(RecordBlob(entry.RunId), ct))?.Record));
    }

    private static bool Matches(PipelineExecution record, RunQuery query) =>
        (query.Pipeline is null || record.Pipeline == query.Pipeline) && (query.Status is null || record.Status == query.Status);
}
