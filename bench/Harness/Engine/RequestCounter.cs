using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace DurablePipelines.Bench.Harness.Engine;

/// <summary>
/// Counts the storage requests the engine's backend sends, by service, method and operation (a queue's
/// <c>GET messages</c>, a table's <c>POST $batch</c>), so a figure can be told in requests per task result.
/// </summary>
internal sealed class RequestCounter : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public long Total => _counts.Values.Sum();

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counts, StringComparer.Ordinal);

    /// <summary>Requests per item since <paramref name="before"/>, largest first: <c>queue GET messages 3.1, ...</c>.</summary>
    public string PerItem(IReadOnlyDictionary<string, long> before, int items)
    {
        var now = Snapshot();
        var total = (now.Values.Sum() - before.Values.Sum()) / (double)items;
        var parts = now.Select(p => (p.Key, Count: p.Value - before.GetValueOrDefault(p.Key)))
            .Where(p => p.Count > 0).OrderByDescending(p => p.Count)
            .Select(p => $"{p.Key} {p.Count / (double)items:0.00}");
        return $"{total:0.0} storage requests per result ({string.Join(", ", parts)})";
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Count(HttpMessage message)
    {
        var uri = message.Request.Uri.ToUri();
        var port = uri.Port;
        var path = uri.AbsolutePath;
        var what = path.EndsWith("/messages", StringComparison.Ordinal) ? "messages"
            : path.Contains("/messages/", StringComparison.Ordinal) ? "message"
            : path.EndsWith("$batch", StringComparison.Ordinal) ? "$batch"
            : uri.Query.Contains("comp=lease", StringComparison.Ordinal) ? "lease"
            : "entity/other";
        var service = path.Contains("/messages", StringComparison.Ordinal) ? "queue" : what == "$batch" ? "table" : $"port{port}";
        var key = $"{service} {message.Request.Method} {what}";
        _counts.AddOrUpdate(key, 1, (_, v) => v + 1);
    }
}
