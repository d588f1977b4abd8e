using DurablePipelines.Activities;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Runners;

/// <summary>
/// What one in-process run shares: the exclusive scheduler every orchestration continuation of the run runs
/// on (so orchestration code is single-threaded, as on Durable), the activity limiter, the cancel signal and
/// the reporter. Activities run on the thread pool.
/// </summary>
internal sealed class InProcessRuntime : IDisposable
{
    private readonly PipelineActivities _activities;
    private readonly SemaphoreSlim _limiter;
    private readonly CancellationTokenSource _runCancel;
    private readonly CancellationTokenRegistration _userCancel;
    private readonly List<TaskCompletionSource<string>> _cancelWaiters = [];
    private readonly Lock _gate = new();
    private bool _cancelled;
    private readonly TaskScheduler _scheduler = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;

    private readonly IActivityJournal? _journal;

    public InProcessRuntime(string runId, PipelineActivities activities, IPipelineReporter reporter, TimeProvider time, int maxConcurrentActivities, CancellationToken cancellationToken, IActivityJournal? journal = null)
    {
        _journal = journal;
        RunId = runId;
        _activities = activities;
        Reporter = reporter;
        Time = time;
        MaxConcurrentActivities = maxConcurrentActivities;
        _limiter = new SemaphoreSlim(maxConcurrentActivities, maxConcurrentActivities);
        _runCancel = new CancellationTokenSource();
        _userCancel = cancellationToken.Register(OnUserCancel);
    }

    public string RunId { get; }

    public IPipelineReporter Reporter { get; }

    public TimeProvider Time { get; }

    public int MaxConcurrentActivities { get; }

    /// <summary>
    /// The <see cref="OrchestrationEvents.Cancel"/> event. Waiters complete on the exclusive scheduler before any
    /// handler's token fires, so orchestration code always learns of a cancel before it sees a result it caused.
    /// </summary>
    public Task<string> WaitForCancelAsync(CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<string>();
        lock (_gate)
        {
            if (_cancelled)
            {
                waiter.SetResult("cancelled");
                return waiter.Task;
            }

            _cancelWaiters.Add(waiter);
        }

        cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
        return waiter.Task;
    }

    public Task<PipelineExecution> RunAsync(RunPipelineInput input)
    {
        var context = new InProcessOrchestrationContext(this, input.RunId);
        return Start(() => PipelineOrchestration.RunPipelineAsync(context, input));
    }

    /// <summary>Runs orchestration code on the run's exclusive scheduler.</summary>
    public Task<T> Start<T>(Func<Task<T>> orchestration) =>
        Task.Factory.StartNew(orchestration, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();

    /// <summary>
    /// Runs an activity on the thread pool once the limiter lets it, through the journal when there is one. The
    /// returned task completes on the thread pool; the orchestration's await brings it back to its scheduler.
    /// </summary>
    public Task<TResult> RunActivityAsync<TResult>(string name, IActivityInput input)
    {
        var call = new ActivityCall<TResult>(this, name, input);

        // Queued as Task.Run queues (local to the orchestration's thread): which of two results the orchestration
        // sees first, when both are ready at once, stays what it was.
        ThreadPool.QueueUserWorkItem(static c => c.Start(), call, preferLocal: true);
        return call.Task;
    }

    private async Task<object?> InvokeLimitedAsync(string name, IActivityInput input)
    {
        await _limiter.WaitAsync(CancellationToken.None);
        try
        {
            return await _activities.InvokeAsync(name, input, _runCancel.Token);
        }
        finally
        {
            _limiter.Release();
        }
    }

    private void OnUserCancel() =>
        _ = Task.Factory.StartNew(
            () =>
            {
                TaskCompletionSource<string>[] waiters;
                lock (_gate)
                {
                    _cancelled = true;
                    waiters = [.. _cancelWaiters];
                    _cancelWaiters.Clear();
                }

                foreach (var waiter in waiters)
                {
                    waiter.TrySetResult("cancelled");
                }

                _runCancel.Cancel();
            },
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            _scheduler);

    /// <summary>
    /// One activity call on the thread pool: what <c>Task.Run</c> of an async lambda does, in one object instead of
    /// a closure, a delegate, a task of a task and its unwrapping (every task result makes one).
    /// </summary>
    private sealed class ActivityCall<TResult>(InProcessRuntime runtime, string name, IActivityInput input) : TaskCompletionSource<TResult>
    {
        public void Start() => _ = RunAsync();

        private async Task RunAsync()
        {
            try
            {
                var result = runtime._journal is null
                    ? await runtime.InvokeLimitedAsync(name, input)
                    : await runtime._journal.RunAsync(name, input, typeof(TResult), () => runtime.InvokeLimitedAsync(name, input));
                TrySetResult((TResult)result!);
            }
            catch (OperationCanceledException e)
            {
                TrySetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                TrySetException(e);
            }
        }
    }

    public void Dispose()
    {
        _userCancel.Dispose();
        _runCancel.Dispose();
        _limiter.Dispose();
    }
}
