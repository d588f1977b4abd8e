using System.Text.Json.Nodes;

namespace DurablePipelines.Orchestration;

/// <summary>
/// The events raised on a run, as one orchestration instance has received them: an event is kept for the rest of the
/// run, so a result that begins to wait after it was raised ends at once, and every result waiting for one name ends
/// with it. Received events are forwarded to the sub-orchestrations running then; one started later is given the
/// events so far in its input.
/// </summary>
internal sealed class RunEventBoard
{
    private readonly Action<string, object> _forward;
    private readonly Dictionary<string, JsonNode?> _received;
    private readonly Dictionary<string, List<TaskCompletionSource<JsonNode?>>> _waiters = new(StringComparer.Ordinal);

    /// <param name="context">The instance's port.</param>
    /// <param name="known">The events raised before this instance started (from its parent).</param>
    /// <param name="forward">Sends an event to the instance's running sub-orchestrations.</param>
    /// <param name="stopWatching">Ends the watch when the instance ends.</param>
    public RunEventBoard(IOrchestrationContext context, IReadOnlyDictionary<string, JsonNode?>? known, Action<string, object> forward, CancellationToken stopWatching)
    {
        _forward = forward;
        _received = known is null ? new(StringComparer.Ordinal) : new(known, StringComparer.Ordinal);
        _ = context.WatchAsync<RunEventMessage>(OrchestrationEvents.RunEvent, Receive, stopWatching);
    }

    /// <summary>The events received so far, for a sub-orchestration's input; null when there are none.</summary>
    public IReadOnlyDictionary<string, JsonNode?>? Snapshot =>
        _received.Count == 0 ? null : _received.ToDictionary(e => e.Key, e => e.Value?.DeepClone(), StringComparer.Ordinal);

    /// <summary>The payload of event <paramref name="name"/>: at once when it was raised already, else when it is.</summary>
    public Task<JsonNode?> WaitAsync(string name)
    {
        if (_received.TryGetValue(name, out var payload))
        {
            return Task.FromResult(payload?.DeepClone());
        }

        if (!_waiters.TryGetValue(name, out var waiters))
        {
            waiters = [];
            _waiters.Add(name, waiters);
        }

        var waiter = new TaskCompletionSource<JsonNode?>();
        waiters.Add(waiter);
        return waiter.Task;
    }

    private void Receive(RunEventMessage message)
    {
        // The first time an event arrives it counts; a repeat (forwarded and raised again, or raised twice) changes
        // nothing, so every result sees one payload per name.
        if (!_received.TryAdd(message.Name, message.Payload))
        {
            return;
        }

        _forward(OrchestrationEvents.RunEvent, message);
        if (_waiters.Remove(message.Name, out var waiters))
        {
            foreach (var waiter in waiters)
            {
                waiter.SetResult(message.Payload?.DeepClone());
            }
        }
    }
}
