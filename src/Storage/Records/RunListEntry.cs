using System.Globalization;
using Azure.Storage.Blobs.Models;
using DurablePipelines.Records;
using DurablePipelines.Storage.Blobs;

namespace DurablePipelines.Storage.Records;

/// <summary>What a container listing tells about one run record, from the blob's metadata alone.</summary>
internal sealed class RunListEntry
{
    public const string RecordName = "record.json";
    public const string PipelineKey = "pipeline";
    public const string StatusKey = "status";
    public const string CreatedKey = "createdticks";

    public required string RunId { get; init; }

    public string? Pipeline { get; private set; }

    public RunStatus? Status { get; private set; }

    public long CreatedTicks { get; private set; }

    /// <summary>True when the blob has no usable metadata: the record must be read to place it.</summary>
    public bool Unknown { get; private set; }

    /// <summary>The record, when it had to be read already.</summary>
    public PipelineExecution? Record { get; private set; }

    /// <summary>The metadata a record blob is written with.</summary>
    public static Dictionary<string, string> Metadata(PipelineExecution record) => new()
    {
        // Metadata travels as HTTP headers: ASCII only, so the pipeline name is escaped.
        [PipelineKey] = Uri.EscapeDataString(record.Pipeline),
        [StatusKey] = record.Status.ToString(),
        [CreatedKey] = record.CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The entry of a record blob, or null for any other blob (logs).</summary>
    public static RunListEntry? From(BlobItem item)
    {
        var slash = item.Name.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || item.Name[(slash + 1)..] != RecordName)
        {
            return null;
        }

        var entry = new RunListEntry { RunId = BlobNames.Unsegment(item.Name[..slash]) };
        var metadata = item.Metadata;
        if (metadata is not null
            && metadata.TryGetValue(PipelineKey, out var pipeline)
            && metadata.TryGetValue(StatusKey, out var status) && Enum.TryParse<RunStatus>(status, out var parsed)
            && metadata.TryGetValue(CreatedKey, out var created)
            && long.TryParse(created, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            entry.Pipeline = Uri.UnescapeDataString(pipeline);
            entry.Status = parsed;
            entry.CreatedTicks = ticks;
        }
        else
        {
            entry.Unknown = true;
        }

        return entry;
    }

    /// <summary>Places an entry without metadata by its record (null when the record is gone).</summary>
    public void Fill(PipelineExecution? record)
    {
        Record = record;
        Unknown = false;
        Pipeline = record?.Pipeline;
        Status = record?.Status;
        CreatedTicks = record?.CreatedAt.Ticks ?? 0;
    }

    public bool Matches(RunQuery query) =>
        (Record is not null || Pipeline is not null)
        && (query.Pipeline is null || Pipeline == query.Pipeline)
        && (query.Status is null || Status == query.Status);
}
