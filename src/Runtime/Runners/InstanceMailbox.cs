namespace DurablePipelines.Runners;

/// <summary>
/// Events of one kind sent to single orchestration instances of an in-process run (an operator's repair of a result,
/// the notices of results waiting for one), by instance id: each is delivered once, in the order sent, and one sent
/// before the instance waits is kept for it, as Durable keeps an instance's events until it awaits them.
/// </summary>
/// <remarks>
/// Orchestration code sends on the run's loop and the receiver continues in that same step; <see cref="Post"/> sends
/// from outside the run (an operator), on the loop.
/// </remarks>
internal sealed class InstanceMailbox<T>(SynchronizationContext loop)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<T>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<T>> _waiters = new(StringComparer.Ordinal);

    /// <summary>The next event sent to <paramref name="instanceId"/>; <paramref name="stopWaiting"/> ends the wait.</summary>
    public Task<T> WaitAsync(string instanceId, CancellationToken stopWaiting)
    {
        TaskCompletionSource<T> waiter;
        lock (_gate)
        {
            if (_pending.TryGetValue(instanceId, out var queue) && queue.TryDequeue(out var next))
            {
                return Task.FromResult(next);
            }

            if (_waiters.ContainsKey(instanceId))
            {
                throw new InvalidOperationException($"instance '{instanceId}' already waits for a {typeof(T).Name}");
            }

            waiter = new TaskCompletionSource<T>();
            _waiters.Add(instanceId, waiter);
        }

        stopWaiting.Register(() =>
        {
            lock (_gate)
            {
                if (_waiters.TryGetValue(instanceId, out var current) && current == waiter)
                {
                    _waiters.Remove(instanceId);
                }
            }

            waiter.TrySetCanceled(stopWaiting);
        });
        return waiter.Task;
    }

    /// <summary>Sends <paramref name="payload"/> to <paramref name="instanceId"/>, from orchestration code on the run's loop.</summary>
    public void Send(string instanceId, T payload)
    {
        TaskCompletionSource<T>? waiter;
        lock (_gate)
        {
            if (!_waiters.Remove(instanceId, out waiter))
            {
                if (!_pending.TryGetValue(instanceId, out var queue))
                {
                    queue = new Queue<T>();
                    _pending.Add(instanceId, queue);
                }

                queue.Enqueue(payload);
                return;
            }
        }

        waiter.TrySetResult(payload);
    }

    /// <summary>Sends <paramref name="payload"/> to <paramref name="instanceId"/> from outside the run, on its loop.</summary>
    public void Post(string instanceId, T payload) => loop.Post(static s => ((Sending)s!).Run(), new Sending(this, instanceId, payload));

    private sealed record Sending(InstanceMailbox<T> Owner, string InstanceId, T Payload)
    {
        public void Run() => Owner.Send(InstanceId, Payload);
    }
}
