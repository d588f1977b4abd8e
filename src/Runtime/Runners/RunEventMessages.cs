using DurablePipelines.Orchestration;

namespace DurablePipelines.Runners;

/// <summary>
/// The <see cref="OrchestrationEvents.RunEvent"/> events of an in-process run. Every orchestration instance of the
/// run receives every event once, in the order raised, as Durable delivers the events a parent forwards to its
/// children (an instance that starts later receives the earlier ones first). Raised on the run's loop.
/// </summary>
internal sealed class RunEventMessages(SynchronizationContext loop)
{
    private readonly Lock _gate = new();
    private readonly List<RunEventMessage> _raised = [];
    private readonly Dictionary<string, int> _delivered = new(StringComparer.Ordinal);
    private readonly List<(string InstanceId, TaskCompletionSource<RunEventMessage> Waiter)> _waiters = [];

    /// <summary>The next event <paramref name="instanceId"/> has not received; <paramref name="stopWaiting"/> ends the wait.</summary>
    public Task<RunEventMessage> WaitAsync(string instanceId, CancellationToken stopWaiting)
    {
        TaskCompletionSource<RunEventMessage> waiter;
        lock (_gate)
        {
            var next = _delivered.GetValueOrDefault(instanceId);
            if (next < _raised.Count)
            {
                _delivered[instanceId] = next + 1;
                return Task.FromResult(_raised[next]);
            }

            waiter = new TaskCompletionSource<RunEventMessage>();
            _waiters.Add((instanceId, waiter));
        }

        stopWaiting.Register(() =>
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Waiter == waiter);
            }

            waiter.TrySetCanceled(stopWaiting);
        });
        return waiter.Task;
    }

    /// <summary>Raises <paramref name="message"/> on the run, on its loop.</summary>
    public void Raise(RunEventMessage message) => loop.Post(static s => ((Raising)s!).Run(), new Raising(this, message));

    private void RaiseOnLoop(RunEventMessage message)
    {
        (string InstanceId, TaskCompletionSource<RunEventMessage> Waiter)[] waiters;
        lock (_gate)
        {
            _raised.Add(message);
            waiters = [.. _waiters];
            _waiters.Clear();
            foreach (var (instanceId, _) in waiters)
            {
                _delivered[instanceId] = _raised.Count;
            }
        }

        foreach (var (_, waiter) in waiters)
        {
            waiter.TrySetResult(message);
        }
    }

    private sealed record Raising(RunEventMessages Owner, RunEventMessage Message)
    {
        public void Run() => Owner.RaiseOnLoop(Message);
    }
}
