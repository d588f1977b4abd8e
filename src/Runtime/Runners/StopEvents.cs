namespace DurablePipelines.Runners;

/// <summary>
/// The <see cref="Orchestration.OrchestrationEvents.Stop"/> events of an in-process run's orchestration instances, by
/// instance id. A stop sent before the instance waits is kept for it, as Durable keeps an event until it is awaited;
/// only the first stop counts.
/// </summary>
/// <remarks>
/// Orchestration code sends a stop, on the run's loop, and the waiter continues in that same step: the instance knows
/// of it before any of its results that end later is seen, so it starts no result after it.
/// </remarks>
internal sealed class StopEvents
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskCompletionSource<string>> _stops = new(StringComparer.Ordinal);

    /// <summary>Waits for the stop of <paramref name="instanceId"/>; <paramref name="stopWaiting"/> ends the wait.</summary>
    public Task<string> WaitAsync(string instanceId, CancellationToken stopWaiting)
    {
        var stop = Of(instanceId);
        stopWaiting.Register(() =>
        {
            lock (_gate)
            {
                _stops.Remove(instanceId);
            }

            stop.TrySetCanceled(stopWaiting);
        });
        return stop.Task;
    }

    /// <summary>Sends a stop to <paramref name="instanceId"/>, with what its not-started results will say.</summary>
    public void Send(string instanceId, string reason) => Of(instanceId).TrySetResult(reason);

    private TaskCompletionSource<string> Of(string instanceId)
    {
        lock (_gate)
        {
            if (!_stops.TryGetValue(instanceId, out var stop))
            {
                stop = new TaskCompletionSource<string>();
                _stops.Add(instanceId, stop);
            }

            return stop;
        }
    }
}
