namespace DurablePipelines.Runners;

/// <summary>
/// Where the orchestration code of one in-process run executes: callbacks run one at a time, in the order they were
/// posted, on one thread-pool thread at a time, with this as the current synchronization context. Every await in
/// orchestration code captures it and comes back here, so the code is single-threaded, as on Durable.
/// </summary>
/// <remarks>
/// A run awaits once or more per task result. Through a synchronization context an await costs one small
/// continuation object and, when it completes on this loop, no hop at all; through a task scheduler each also costs
/// a task, a second continuation and the scheduler's own queueing.
/// </remarks>
internal sealed class OrchestrationLoop(Action<Exception> onError) : SynchronizationContext, IThreadPoolWorkItem
{
    private readonly Lock _gate = new();
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _posted = new();
    private bool _draining;

    /// <summary>Queues <paramref name="d"/> behind everything posted before it.</summary>
    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        lock (_gate)
        {
            _posted.Enqueue((d, state));
            if (_draining)
            {
                return;
            }

            _draining = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>
    /// Runs orchestration code on the loop, in the caller's execution context (its async-locals: logging scopes, the
    /// current trace), which the code's awaits and the activities it starts carry on, as Task.Run would.
    /// </summary>
    public Task<T> Run<T>(Func<Task<T>> orchestration)
    {
        var started = new TaskCompletionSource<Task<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var caller = ExecutionContext.Capture();
        Post(
            _ =>
            {
                if (caller is null)
                {
                    Begin();
                }
                else
                {
                    ExecutionContext.Run(caller, _ => Begin(), null);
                }
            },
            null);
        return started.Task.Unwrap();

        void Begin()
        {
            try
            {
                started.SetResult(orchestration());
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }

    /// <summary>Not supported: orchestration code never blocks waiting for itself.</summary>
    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("an in-process orchestration only posts to its loop");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>
    /// Runs the posted callbacks until none is left. One that throws (orchestration code reports its failures through
    /// its tasks, so this is a defect or a reporter that threw) goes to the loop's error handler; the loop goes on.
    /// </summary>
    void IThreadPoolWorkItem.Execute()
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            while (true)
            {
                (SendOrPostCallback Callback, object? State) next;
                lock (_gate)
                {
                    if (!_posted.TryDequeue(out next))
                    {
                        _draining = false;
                        return;
                    }
                }

                try
                {
                    next.Callback(next.State);
                }
                catch (Exception e)
                {
                    onError(e);
                }
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }
}
