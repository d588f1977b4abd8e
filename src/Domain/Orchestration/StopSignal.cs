namespace DurablePipelines.Orchestration;

/// <summary>
/// Watches one orchestration instance's cancel event and ttl timer and tells the algorithm when to stop
/// scheduling. A user cancel is forwarded to the sub-orchestrations running at that moment.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly IOrchestrationContext _context;
    private readonly CancellationTokenSource _watchers = new();
    private readonly List<string> _children = [];

    public StopSignal(IOrchestrationContext context, DateTime? deadline)
    {
        _context = context;
        Deadline = deadline;
        _ = WatchCancelAsync();
        if (deadline is { } fireAt)
        {
            _ = WatchDeadlineAsync(fireAt);
        }
    }

    public DateTime? Deadline { get; }

    public StopReason Reason { get; private set; }

    public bool Stopped => Reason != StopReason.None;

    public void Stop(StopReason reason)
    {
        if (Reason == StopReason.None)
        {
            Reason = reason;
        }
    }

    /// <summary>Remembers a running sub-orchestration so a cancel reaches it; dispose the result when it ends.</summary>
    public ChildRegistration Track(string instanceId)
    {
        _children.Add(instanceId);
        return new ChildRegistration(this, instanceId);
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
