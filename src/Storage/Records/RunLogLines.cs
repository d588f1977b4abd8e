using System.Buffers;
using System.Text.Json;
using DurablePipelines.Records;

namespace DurablePipelines.Storage.Records;

/// <summary>The run log's blob format: one <see cref="StateChange"/> as JSON per line.</summary>
internal static class RunLogLines
{
    /// <summary>
    /// The rows as lines, cut into append blocks of at most <paramref name="maxBlock"/> bytes at line ends. A
    /// single line larger than a block is split, which only matters if another writer appends to the same run at
    /// the same moment.
    /// </summary>
    public static List<byte[]> Blocks(IReadOnlyList<StateChange> rows, int maxBlock)
    {
        var blocks = new List<byte[]>();
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var row in rows)
        {
            var line = JsonSerializer.SerializeToUtf8Bytes(row, PipelineJson.Options);
            if (buffer.WrittenCount > 0 && buffer.WrittenCount + line.Length + 1 > maxBlock)
            {
                blocks.Add(buffer.WrittenSpan.ToArray());
                buffer.ResetWrittenCount();
            }

            buffer.Write(line);
            buffer.Write("\n"u8);
            while (buffer.WrittenCount > maxBlock)
            {
                blocks.Add(buffer.WrittenSpan[..maxBlock].ToArray());
                var tail = buffer.WrittenSpan[maxBlock..].ToArray();
                buffer.ResetWrittenCount();
                buffer.Write(tail);
            }
        }

        if (buffer.WrittenCount > 0)
        {
            blocks.Add(buffer.WrittenSpan.ToArray());
        }

        return blocks;
    }

    /// <summary>The rows of a log blob, in order; blank lines are skipped.</summary>
    public static List<StateChange> Parse(ReadOnlyMemory<byte> content, string runId)
    {
        var rows = new List<StateChange>();
        var rest = content.Span;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (!line.Trim(" \r\t"u8).IsEmpty)
            {
                rows.Add(JsonSerializer.Deserialize<StateChange>(line, PipelineJson.Options)
                    ?? throw new JsonException($"the run log of '{runId}' holds a null row"));
            }
        }

        return rows;
    }
}
