namespace DurablePipelines.Storage.Blobs;

/// <summary>Turns run ids, payload names and message ids into blob name segments and back.</summary>
internal static class BlobNames
{
    /// <summary>The longest blob name the service accepts.</summary>
    public const int MaxLength = 1024;

    /// <summary>
    /// One path segment. Run ids and names may hold '/', ':', '%', spaces or end in '.', none of which survive as a
    /// raw segment (a '/' would add a level, a trailing '.' or a '..' segment is dropped by URL normalisation).
    /// Ordinary ids (letters, digits, '-', '_', '.') stay readable.
    /// </summary>
    public static string Segment(string value)
    {
        var escaped = Uri.EscapeDataString(value);
        return escaped.EndsWith('.') ? string.Concat(escaped.AsSpan(0, escaped.Length - 1), "%2E") : escaped;
    }

    /// <summary>The value <see cref="Segment"/> encoded.</summary>
    public static string Unsegment(string segment) => Uri.UnescapeDataString(segment);

    /// <summary>The prefix every blob of one run starts with.</summary>
    public static string RunPrefix(string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        return Segment(runId) + "/";
    }
}
