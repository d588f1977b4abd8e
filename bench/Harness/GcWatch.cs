using System.Globalization;

namespace DurablePipelines.Bench.Harness;

/// <summary>Allocations, collections and GC pause time over a measured span, to explain a figure.</summary>
internal sealed class GcWatch
{
    private readonly long _allocated = GC.GetTotalAllocatedBytes(precise: true);
    private readonly TimeSpan _paused = GC.GetTotalPauseDuration();
    private readonly int[] _collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly TimeSpan _cpu = Environment.CpuUsage.TotalTime;

    /// <summary>A one-line summary per <paramref name="items"/> items over <paramref name="elapsed"/>.</summary>
    public string Summary(int items, TimeSpan elapsed)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocated;
        var paused = GC.GetTotalPauseDuration() - _paused;
        var cpu = Environment.CpuUsage.TotalTime - _cpu;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"process CPU {cpu.TotalMicroseconds / items:N1} us per item ({cpu / elapsed:N2} cores busy); {allocated / (double)items:N0} B allocated per item; GCs gen0/1/2 {GC.CollectionCount(0) - _collections[0]}/{GC.CollectionCount(1) - _collections[1]}/{GC.CollectionCount(2) - _collections[2]}, paused {paused.TotalMilliseconds:N0} ms ({paused / elapsed:P0} of the time)");
    }
}
