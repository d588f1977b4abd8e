namespace DurablePipelines.LocalHost.Output;

/// <summary>Rows as aligned columns under a header, for terminals and logs alike.</summary>
internal static class TextTable
{
    /// <summary>Writes <paramref name="header"/> and <paramref name="rows"/>, each column as wide as its widest cell.</summary>
    public static async Task WriteAsync(TextWriter writer, IReadOnlyList<string> header, IReadOnlyList<string[]> rows, string indent = "")
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend([.. header]))
        {
            // The last column is not padded: no trailing spaces.
            var cells = row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]));
            await writer.WriteLineAsync((indent + string.Join("  ", cells)).TrimEnd());
        }
    }
}
