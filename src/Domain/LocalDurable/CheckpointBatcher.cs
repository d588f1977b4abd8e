using System.Text;

namespace DurablePipelines.LocalDurable;

/// <summary>
/// Group commit of one run's checkpoints. A checkpoint that finds no write of the run in flight is written at
/// once, alone; checkpoints that arrive while a write is in flight wait for it and then go together, in one
/// <see cref="ICheckpointStore.SaveGroupAsync"/>, as the next write. There is no timer: an idle run's checkpoint
/// never waits, and a busy run makes one storage write per group instead of one per result, which is what
/// bounded the local host's fan-out by storage round trips.
/// </summary>
/// <remarks>
/// Each caller's task completes only when the write holding its checkpoint has returned, so a result is still
/// recorded before the orchestration sees it. A failed write fails every caller whose checkpoint it held, with the
/// store's exception, as a failed single write failed its one caller; the writes after it go ahead.
/// </remarks>
internal sealed class CheckpointBatcher
{
    /// <summary>
    /// At most this many checkpoints in one write. A run has at most <c>MaxParallelism</c> (64 by default)
    /// results waiting for their checkpoint at once, so at default settings this never binds; with more slots it
    /// keeps one group, and the callers a failed write fails, from growing with them.
    /// </summary>
    public const int DefaultMaxCount = 256;

    /// <summary>
    /// At most this many bytes (UTF-8 keys and JSON) in one write, so a group stays one modest upload and one
    /// modest download on resume. Outputs over <c>InlinePayloadLimit</c> (16 KiB) go by reference, so even
    /// checkpoints near that size fill a group of about 64, the default slot count. A single checkpoint larger
    /// than this is written alone, never split.
    /// </summary>
    public const int DefaultMaxBytes = 1024 * 1024;

    private readonly string _runId;
    private readonly ICheckpointStore _store;
    private readonly int _maxCount;
    private readonly int _maxBytes;
    private readonly Lock _gate = new();
    private readonly Queue<Waiter> _waiting = new();
    private bool _writing;

    public CheckpointBatcher(string runId, ICheckpointStore store, int maxCount = DefaultMaxCount, int maxBytes = DefaultMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _runId = runId;
        _store = store;
        _maxCount = maxCount;
        _maxBytes = maxBytes;
    }

    /// <summary>Completes when the checkpoint is stored; fails when the write that held it failed.</summary>
    public Task SaveAsync(string key, string json)
    {
        var waiter = new Waiter(KeyValuePair.Create(key, json));
        lock (_gate)
        {
            _waiting.Enqueue(waiter);
            if (_writing)
            {
                return waiter.Task;
            }

            _writing = true;
        }

        // Not awaited: the writes belong to the run, not to this caller, who waits only for its own checkpoint.
        // The first write starts on this thread, so a lone checkpoint goes out without a hop.
        _ = WriteWhileWaitingAsync();
        return waiter.Task;
    }

    private async Task WriteWhileWaitingAsync()
    {
        while (NextGroup() is { } group)
        {
            try
            {
                var checkpoints = new KeyValuePair<string, string>[group.Count];
                for (var i = 0; i < group.Count; i++)
                {
                    checkpoints[i] = group[i].Checkpoint;
                }

                // Never cancelled: a checkpoint whose result was produced is written, even while the host stops.
                await _store.SaveGroupAsync(_runId, checkpoints, CancellationToken.None);
            }
            catch (Exception e)
            {
                foreach (var waiter in group)
                {
                    waiter.TrySetException(e);
                }

                continue;
            }

            foreach (var waiter in group)
            {
                waiter.TrySetResult();
            }
        }
    }

    /// <summary>The next group in arrival order, within the bounds; <see langword="null"/> (and no write in flight) when none waits.</summary>
    private List<Waiter>? NextGroup()
    {
        lock (_gate)
        {
            if (_waiting.Count == 0)
            {
                _writing = false;
                return null;
            }

            var group = new List<Waiter>(Math.Min(_waiting.Count, _maxCount));
            var bytes = 0L;
            while (group.Count < _maxCount && _waiting.TryPeek(out var next) && (group.Count == 0 || bytes + next.Bytes <= _maxBytes))
            {
                group.Add(_waiting.Dequeue());
                bytes += next.Bytes;
            }

            return group;
        }
    }

    // Continuations run asynchronously: completing a group must not run its callers' orchestration work on the
    // writer's thread, ahead of the next group's write.
    private sealed class Waiter(KeyValuePair<string, string> checkpoint) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public KeyValuePair<string, string> Checkpoint { get; } = checkpoint;

        public long Bytes { get; } = (long)Encoding.UTF8.GetByteCount(checkpoint.Key) + Encoding.UTF8.GetByteCount(checkpoint.Value);
    }
}
