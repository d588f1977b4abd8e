using System.Runtime.ExceptionServices;
using DurablePipelines.Activities;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Runners;

/// <summary>
/// What one in-process run shares: the loop every orchestration continuation of the run runs on (so orchestration
/// code is single-threaded, as on Durable), the cancel signal, the stop events of its orchestrations and the reporter.
/// Activities run on the thread pool, each as it is called: the orchestration keeps no more of them in flight than
/// <see cref="MaxConcurrentActivities"/>.
/// </summary>
internal sealed class InProcessRuntime : IDisposable
{
    private readonly PipelineActivities _activities;
    private readonly CancellationTokenSource _runCancel;
    private readonly CancellationTokenRegistration _userCancel;
    private readonly List<TaskCompletionSource<string>> _cancelWaiters = [];
    private readonly Dictionary<string, TaskCompletionSource<string>> _stops = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private bool _cancelled;
    private readonly OrchestrationLoop _loop;
    private Exception? _loopError;


    // Orchestrations whose progress changed since it was last reported, in the order they published (orchestration state).
    private readonly List<Func<RunProgress>> _progressToReport = [];
    private readonly HashSet<Func<RunProgress>> _progressQueued = new(ReferenceEqualityComparer.Instance);

    public InProcessRuntime(string runId, PipelineActivities activities, IPipelineReporter reporter, TimeProvider time, int maxConcurrentActivities, CancellationToken cancellationToken)
    {
        RunId = runId;
        _activities = activities;
        Reporter = reporter;
        Time = time;
        MaxConcurrentActivities = maxConcurrentActivities;
        _loop = new OrchestrationLoop(OnLoopError);
        _runCancel = new CancellationTokenSource();
        _userCancel = cancellationToken.Register(OnUserCancel);
    }

    public string RunId { get; }

    public IPipelineReporter Reporter { get; }

    public TimeProvider Time { get; }

    public int MaxConcurrentActivities { get; }

    /// <summary>
    /// The <see cref="OrchestrationEvents.Cancel"/> event. Waiters complete on the orchestration's loop before any
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

    /// <summary>
    /// The <see cref="OrchestrationEvents.Stop"/> event of one orchestration instance. A stop sent before the instance
    /// waits is kept for it, as Durable keeps an event until it is awaited. Orchestration code sends it, on the
    /// orchestration's loop, and the waiter continues in that same step: the instance knows of it before any of its
    /// results that end later is seen, so it starts no result after it.
    /// </summary>
    public Task<string> WaitForStopAsync(string instanceId, CancellationToken cancellationToken)
    {
        var stop = StopOf(instanceId);
        cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                _stops.Remove(instanceId);
            }

            stop.TrySetCanceled(cancellationToken);
        });
        return stop.Task;
    }

    /// <summary>Sends <see cref="OrchestrationEvents.Stop"/> to an instance; only the first stop counts.</summary>
    public void SendStop(string instanceId, string reason) => StopOf(instanceId).TrySetResult(reason);

    /// <summary>
    /// Runs the run's orchestration to its end. A callback on the loop that threw (a reporter, or a defect) stops the
    /// run as a cancel would, and is thrown here once the orchestration has ended.
    /// </summary>
    public async Task<PipelineExecution> RunAsync(RunPipelineInput input)
    {
        var context = new InProcessOrchestrationContext(this, input.RunId);
        var execution = await Start(async () =>
        {
            var execution = await PipelineOrchestration.RunPipelineAsync(context, input);
            ReportProgress();
            return execution;
        });
        if (Volatile.Read(ref _loopError) is { } error)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        return execution;
    }

    /// <summary>
    /// Reports an orchestration's progress once the continuations queued before it have run: however many results
    /// a step of the run sees, each orchestration's progress is built and reported once. Called as orchestration code.
    /// </summary>
    public void PublishProgress(Func<RunProgress> progress)
    {
        if (!_progressQueued.Add(progress))
        {
            return;
        }

        _progressToReport.Add(progress);
        if (_progressToReport.Count == 1)
        {
            _loop.Post(static s => ((InProcessRuntime)s!).ReportProgress(), this);
        }
    }

    /// <summary>
    /// Runs orchestration code on the run's loop, in the caller's execution context (its async-locals: logging scopes,
    /// the current trace), which the code's awaits and the activities it starts carry on, as Task.Run would.
    /// </summary>
    public Task<T> Start<T>(Func<Task<T>> orchestration)
    {
        var started = new TaskCompletionSource<Task<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var caller = ExecutionContext.Capture();
        _loop.Post(
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

    /// <summary>
    /// Runs an activity on the thread pool, as it is called, as a call to Durable starts: the orchestration keeps
    /// within the run's limit itself, and decides before it calls whether the work may still start. The returned
    /// task completes on the thread pool; the orchestration's await brings it back to its loop.
    /// </summary>
    public Task<TResult> RunActivityAsync<TResult>(string name, IActivityInput input)
    {
        var call = new ActivityCall<TResult>(this, name, input);
        call.Run();
        return call.Task;
    }

    private void ReportProgress()
    {
        // Cleared whatever happens: a reporter that throws fails the run, and must not also stop later reports.
        try
        {
            foreach (var progress in _progressToReport)
            {
                Reporter.Progress(progress());
            }
        }
        finally
        {
            _progressToReport.Clear();
            _progressQueued.Clear();
        }
    }

    private void OnLoopError(Exception error)
    {
        if (Interlocked.CompareExchange(ref _loopError, error, null) is null)
        {
            OnUserCancel();
        }
    }

    private TaskCompletionSource<string> StopOf(string instanceId)
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

    private void OnUserCancel() =>
        _loop.Post(
            _ =>
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
            null);

    /// <summary>
    /// One activity call on the thread pool: what <c>Task.Run</c> of an async lambda does, in one object instead of
    /// a closure, a delegate, a task of a task and its unwrapping (every task result makes one).
    /// </summary>
    private sealed class ActivityCall<TResult>(InProcessRuntime runtime, string name, IActivityInput input) : TaskCompletionSource<TResult>
    {
        // Queued as Task.Run queues (local to the orchestration's thread): which of two results the orchestration
        // sees first, when both are ready at once, stays what it was.
        public void Run() => ThreadPool.QueueUserWorkItem(static c => c.Start(), this, preferLocal: true);

        private void Start() => _ = RunAsync();

        private async Task RunAsync()
        {
            try
            {
                var result = await runtime._activities.InvokeAsync<TResult>(name, input, runtime._runCancel.Token);
                TrySetResult(result);
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
    }
}
