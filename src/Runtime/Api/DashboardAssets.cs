using System.Reflection;

namespace DurablePipelines.Api;

/// <summary>
/// The dashboard's files (HTML, script, style), embedded in this assembly so both hosts serve the same page
/// with no CDN and no file on disk.
/// </summary>
public static class DashboardAssets
{
    private static readonly Dictionary<string, string> s_types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    /// <summary>The asset at <paramref name="path"/> (<c>""</c> or <c>index.html</c> for the page), or null.</summary>
    public static (byte[] Content, string ContentType)? Find(string? path)
    {
        var name = string.IsNullOrEmpty(path) || path == "/" ? "index.html" : path.TrimStart('/');
        if (name.Contains('/', StringComparison.Ordinal) || !s_types.TryGetValue(Path.GetExtension(name), out var type))
        {
            return null;
        }

        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"DurablePipelines.Api.Dashboard.{name}");
        if (stream is null)
        {
            return null;
        }

        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return (memory.ToArray(), type);
    }
}
