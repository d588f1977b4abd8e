using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace DurablePipelines.Bench.Harness;

/// <summary>
/// Samples allocations in this process (the runtime's AllocationTick event, one per ~100 KB allocated, with the
/// type that crossed the mark) to show which types a scenario allocates most. Diagnostic, on with BENCH_ALLOCATIONS=1.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    public static bool Enabled => Environment.GetEnvironmentVariable("BENCH_ALLOCATIONS") == "1";

    public void Reset() => _bytes.Clear();

    public IEnumerable<(string Type, double Share)> Top(int count)
    {
        var total = (double)Math.Max(1, _bytes.Values.Sum());
        return _bytes.OrderByDescending(p => p.Value).Take(count).Select(p => (p.Key, p.Value / total));
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.Payload is null)
        {
            return;
        }

        var index = eventData.PayloadNames?.IndexOf("TypeName") ?? -1;
        var amountIndex = eventData.PayloadNames?.IndexOf("AllocationAmount64") ?? -1;
        if (index >= 0 && eventData.Payload[index] is string type)
        {
            var amount = amountIndex >= 0 && eventData.Payload[amountIndex] is ulong a ? (long)a : 100_000;
            _bytes.AddOrUpdate(type, amount, (_, v) => v + amount);
        }
    }
}
