using DurablePipelines.LocalDurable;

namespace DurablePipelines.Tests.LocalDurable;

/// <summary>
/// A checkpoint store whose writes finish when the test says: every write is recorded, in call order, with the
/// checkpoints it held, and stays in flight until the test completes or fails it.
/// </summary>
internal sealed class GatedCheckpointStore : ICheckpointStore
{
    private readonly Lock _gate = new();
    private readonly List<Write> _writes = [];

    /// <summary>The writes so far, in call order.</summary>
    public IReadOnlyList<Write> Writes
    {
        get
        {
            lock (_gate)
            {
                return [.. _writes];
            }
        }
    }

    /// <summary>Waits until the store has seen write number <paramref name="index"/> (from 0).</summary>
    public Task<Write> WriteAsync(int index) =>
        Eventually.ValueAsync(() => Writes.ElementAtOrDefault(index), $"write {index} reached the store");

    public Task SaveAsync(string runId, string key, string json, CancellationToken cancellationToken) =>
        Add(new Write(runId, [KeyValuePair.Create(key, json)], Grouped: false));

    public Task SaveGroupAsync(string runId, IReadOnlyList<KeyValuePair<string, string>> checkpoints, CancellationToken cancellationToken) =>
        Add(new Write(runId, [.. checkpoints], Grouped: true));

    public Task<IReadOnlyDictionary<string, string>> LoadAllAsync(string runId, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    private Task Add(Write write)
    {
        lock (_gate)
        {
            _writes.Add(write);
        }

        return write.Done.Task;
    }

    /// <summary>One write: what it held, and the switch that ends it.</summary>
    public sealed record Write(string RunId, IReadOnlyList<KeyValuePair<string, string>> Checkpoints, bool Grouped)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IEnumerable<string> Keys => Checkpoints.Select(c => c.Key);
    }
}
