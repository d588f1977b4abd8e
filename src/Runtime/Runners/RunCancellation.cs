namespace DurablePipelines.Runners;

/// <summary>
/// The cancel of one in-process run: the <see cref="Orchestration.OrchestrationEvents.Cancel"/> event every one of its
/// orchestrations waits for, and the cancellation token of its running handlers. A cancel comes from the caller's token
/// (Ctrl-C) or from a failure on the run's loop.
/// </summary>
/// <remarks>
/// The waiters complete on the run's loop before the handlers' token fires, so orchestration code always learns of a
/// cancel before it sees a result the cancel caused (a stopped attempt), and ends the run Terminated, not Failed.
/// </remarks>
internal sealed class RunCancellation : IDisposable
{
    private readonly SynchronizationContext _loop;
    private readonly CancellationTokenSource _handlers = new();
    private readonly CancellationTokenRegistration _caller;
    private readonly Lock _gate = new();
    private readonly List<TaskCompletionSource<string>> _waiters = [];
    private bool _cancelled;
    private bool _disposed;

    /// <param name="loop">The run's loop.</param>
    /// <param name="cancellationToken">The caller's token: its cancel cancels the run.</param>
    public RunCancellation(SynchronizationContext loop, CancellationToken cancellationToken)
    {
        _loop = loop;
        _caller = cancellationToken.Register(Cancel);
    }

    /// <summary>The token every handler of the run gets; it fires after the orchestrations have seen the cancel.</summary>
    public CancellationToken HandlerToken => _handlers.Token;

    /// <summary>Waits for the cancel (at once when it came already); <paramref name="stopWaiting"/> ends the wait.</summary>
    public Task<string> WaitAsync(CancellationToken stopWaiting)
    {
        var waiter = new TaskCompletionSource<string>();
        lock (_gate)
        {
            if (_cancelled)
            {
                waiter.SetResult("cancelled");
                return waiter.Task;
            }

            _waiters.Add(waiter);
        }

        stopWaiting.Register(() => waiter.TrySetCanceled(stopWaiting));
        return waiter.Task;
    }

    /// <summary>Cancels the run, on its loop: first the waiters, then the handlers' token.</summary>
    public void Cancel() => _loop.Post(static s => ((RunCancellation)s!).CancelOnLoop(), this);

    public void Dispose()
    {
        _caller.Dispose();
        lock (_gate)
        {
            _disposed = true;
        }

        _handlers.Dispose();
    }

    private void CancelOnLoop()
    {
        TaskCompletionSource<string>[] waiters;
        lock (_gate)
        {
            if (_disposed)
            {
                // The run ended: nothing is left to stop.
                return;
            }

            _cancelled = true;
            waiters = [.. _waiters];
            _waiters.Clear();
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetResult("cancelled");
        }

        try
        {
            _handlers.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run ended meanwhile: no handler is left to stop.
        }
    }
}
