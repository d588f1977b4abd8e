namespace DurablePipelines.Runners;

/// <summary>
/// The <see cref="Orchestration.OrchestrationEvents.Suspension"/> events of an in-process run. A suspension is the
/// run's, so every orchestration instance of the run receives every change once, in order, as Durable delivers the
/// events a parent forwards to its children; an instance that starts while the run is suspended receives the suspend
/// first. Changes are made on the run's loop, so orchestration code sees them between its steps.
/// </summary>
internal sealed class SuspensionEvents(SynchronizationContext loop)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, bool> _seen = new(StringComparer.Ordinal);
    private readonly List<(string InstanceId, TaskCompletionSource<bool> Waiter)> _waiters = [];
    private bool _suspended;

    /// <summary>True while the run is suspended.</summary>
    public bool Suspended
    {
        get
        {
            lock (_gate)
            {
                return _suspended;
            }
        }
    }

    /// <summary>
    /// The next change <paramref name="instanceId"/> has not seen: at once when the run's state differs from the last
    /// it saw, else when it changes. <paramref name="stopWaiting"/> ends the wait.
    /// </summary>
    public Task<bool> WaitAsync(string instanceId, CancellationToken stopWaiting)
    {
        TaskCompletionSource<bool> waiter;
        lock (_gate)
        {
            if (_seen.GetValueOrDefault(instanceId) != _suspended)
            {
                _seen[instanceId] = _suspended;
                return Task.FromResult(_suspended);
            }

            waiter = new TaskCompletionSource<bool>();
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

    /// <summary>Suspends (<paramref name="suspended"/> true) or resumes the run, on its loop.</summary>
    public void Set(bool suspended) => loop.Post(static s => ((SuspensionEvents)((object[])s!)[0]).SetOnLoop((bool)((object[])s!)[1]), new object[] { this, suspended });

    private void SetOnLoop(bool suspended)
    {
        (string InstanceId, TaskCompletionSource<bool> Waiter)[] waiters;
        lock (_gate)
        {
            if (_suspended == suspended)
            {
                return;
            }

            _suspended = suspended;
            waiters = [.. _waiters];
            _waiters.Clear();
            foreach (var (instanceId, _) in waiters)
            {
                _seen[instanceId] = suspended;
            }
        }

        foreach (var (_, waiter) in waiters)
        {
            waiter.TrySetResult(suspended);
        }
    }
}
