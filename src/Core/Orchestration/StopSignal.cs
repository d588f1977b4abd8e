namespace DurablePipelines.Orchestration;

/// <summary>
/// Watches one orchestration instance's cancel event and ttl timer (and a task chunk's stop event) and tells the
/// algorithm when to stop scheduling; and its suspension event, holding new starts while the run is suspended. A user
/// cancel and a suspend or resume are forwarded to the sub-orchestrations running at that moment; a stop is sent to
/// them when the algorithm asks.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly IOrchestrationContext _context;
    private readonly CancellationTokenSource _watchers = new();
    private readonly List<string> _children = [];

    // Set while the run is suspended; completed (and cleared) by the resume, or by a stop, so no start waits for a
    // resume that a cancelled run will never get.
    private TaskCompletionSource? _resumed;
    private readonly TaskCompletionSource _stopped = new();

    /// <param name="context">The instance's port.</param>
    /// <param name="runId">The run the instance belongs to (the id of the run's own instance).</param>
    /// <param name="deadline">When the run's ttl expires, if it has one.</param>
    /// <param name="watchesStop">Whether the instance listens to <see cref="OrchestrationEvents.Stop"/> (a task chunk).</param>
    /// <param name="knownEvents">The events raised on the run before this instance started (from its parent's input).</param>
    public StopSignal(IOrchestrationContext context, string runId, DateTime? deadline, bool watchesStop = false, IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonNode?>? knownEvents = null)
    {
        _context = context;
        Deadline = deadline;
        Events = new RunEventBoard(context, knownEvents, SendToChildren, _watchers.Token);
        Repairs = new RepairDesk(context, runId, _watchers.Token);
        _ = WatchCancelAsync();
        _ = context.WatchAsync<bool>(OrchestrationEvents.Suspension, Suspension, _watchers.Token);
        if (deadline is { } fireAt)
        {
            _ = WatchDeadlineAsync(fireAt);
        }

        if (watchesStop)
        {
            _ = WatchStopAsync();
        }
    }

    public DateTime? Deadline { get; }

    /// <summary>The events raised on the run, as this instance received them.</summary>
    public RunEventBoard Events { get; }

    /// <summary>The instance's results waiting for an operator, and on the run's own instance, the run's.</summary>
    public RepairDesk Repairs { get; }

    /// <summary>Completes when the run is stopped (a cancel or the ttl): what waits for an event stops waiting.</summary>
    public Task StoppedAsync => _stopped.Task;

    public StopReason Reason { get; private set; }

    public bool Stopped => Reason != StopReason.None;

    /// <summary>True while an operator has the run suspended.</summary>
    public bool Suspended => _resumed is not null;

    /// <summary>Told of every suspend (<c>true</c>) and resume (<c>false</c>) this instance receives, as it receives it.</summary>
    public event Action<bool>? SuspensionChanged;

    /// <summary>
    /// Completes at once unless the run is suspended; then when it is resumed or stopped. Await it before starting
    /// anything new, and ask <see cref="Suspended"/> again after any other wait before the start.
    /// </summary>
    public Task WhileSuspendedAsync() => _resumed?.Task ?? Task.CompletedTask;

    /// <summary>
    /// The reason the parent sent with <see cref="OrchestrationEvents.Stop"/>, once it has: start no more task
    /// results. Unlike <see cref="Stopped"/>, it ends no retry of a result already running.
    /// </summary>
    public string? ParentStopReason { get; private set; }

    public void Stop(StopReason reason)
    {
        if (Reason == StopReason.None)
        {
            Reason = reason;
        }

        // A stopped run starts nothing more, suspended or not: what waited for the resume goes on to see the stop.
        Release();
        _stopped.TrySetResult();
    }

    /// <summary>Remembers a running sub-orchestration so a cancel reaches it; dispose the result when it ends.</summary>
    public ChildRegistration Track(string instanceId)
    {
        _children.Add(instanceId);
        return new ChildRegistration(this, instanceId);
    }

    /// <summary>
    /// Tells every sub-orchestration running now to start no more task results: they check their own signal, not
    /// this one. <paramref name="reason"/> is what their not-started results say.
    /// </summary>
    public void StopChildren(string reason) => SendToChildren(OrchestrationEvents.Stop, reason);

    private void SendToChildren(string eventName, object payload)
    {
        foreach (var child in _children)
        {
            _context.SendEvent(child, eventName, payload);
        }
    }

    public void Dispose()
    {
        _watchers.Cancel();
        _watchers.Dispose();
    }

    private async Task WatchCancelAsync()
    {
        try
        {
            await _context.WaitForExternalEvent<string>(OrchestrationEvents.Cancel, _watchers.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Stop(StopReason.Cancelled);
        foreach (var child in _children)
        {
            _context.SendEvent(child, OrchestrationEvents.Cancel, "cancelled by the parent orchestration");
        }
    }

    private void Suspension(bool suspend)
    {
        if (suspend == Suspended || (suspend && Stopped))
        {
            return;
        }

        if (suspend)
        {
            _resumed = new TaskCompletionSource();
            SendToChildren(OrchestrationEvents.Suspension, suspend);
            SuspensionChanged?.Invoke(suspend);
            return;
        }

        // The resume is recorded before the work that waited for it goes on: that work may continue within Release (its
        // awaits complete on this step), and on an in-process runner, whose clock runs during the step, a result it
        // started was recorded as started before the resume. The engine's actions keep their order (children last).
        SuspensionChanged?.Invoke(suspend);
        Release();
        SendToChildren(OrchestrationEvents.Suspension, suspend);
    }

    private void Release()
    {
        var resumed = _resumed;
        _resumed = null;
        resumed?.SetResult();
    }

    private async Task WatchStopAsync()
    {
        try
        {
            var reason = await _context.WaitForExternalEvent<string>(OrchestrationEvents.Stop, _watchers.Token);
            ParentStopReason = reason ?? "not started: the run was stopped";
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WatchDeadlineAsync(DateTime fireAt)
    {
        try
        {
            await _context.CreateTimer(fireAt, _watchers.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Stop(StopReason.Ttl);
    }

    internal readonly struct ChildRegistration(StopSignal owner, string instanceId) : IDisposable
    {
        public void Dispose() => owner._children.Remove(instanceId);
    }
}
