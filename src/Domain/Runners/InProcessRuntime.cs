using DurablePipelines.Activities;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Runners;

/// <summary>
/// What one in-process run shares: the exclusive scheduler every orchestration continuation of the run runs
/// on (so orchestration code is single-threaded, as on Durable), the activity slots, the cancel signal, the
/// stop events of its orchestrations and the reporter. Activities run on the thread pool.
/// </summary>
internal sealed class InProcessRuntime : IDisposable
{
    private readonly PipelineActivities _activities;
    private readonly ActivitySlots _slots;
    private readonly CancellationTokenSource _runCancel;
    private readonly CancellationTokenRegistration _userCancel;
    private readonly List<TaskCompletionSource<string>> _cancelWaiters = [];
    private readonly Dictionary<string, TaskCompletionSource<string>> _stops = new(StringComparer.Ordinal);
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
        _slots = new ActivitySlots(maxConcurrentActivities, _scheduler);
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

    /// <summary>
    /// The <see cref="OrchestrationEvents.Stop"/> event of one orchestration instance. A stop sent before the instance
    /// waits is kept for it, as Durable keeps an event until it is awaited. Orchestration code sends it, on the
    /// exclusive scheduler, and the waiter continues in that same step, before any call waiting for a slot is
    /// asked whether it may start: a result the instance has not started yet stays not started.
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

    public Task<PipelineExecution> RunAsync(RunPipelineInput input)
    {
        var context = new InProcessOrchestrationContext(this, input.RunId);
        return Start(() => PipelineOrchestration.RunPipelineAsync(context, input));
    }

    /// <summary>Runs orchestration code on the run's exclusive scheduler.</summary>
    public Task<T> Start<T>(Func<Task<T>> orchestration) =>
        Task.Factory.StartNew(orchestration, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();

    /// <summary>
    /// Runs an activity on the thread pool once it holds one of the run's slots, through the journal when there is
    /// one. The returned task completes on the thread pool; the orchestration's await brings it back to its
    /// scheduler. With <paramref name="starting"/>, a call asks it (as orchestration code) when it takes its slot,
    /// and is held back, completing with <see langword="default"/>, when it says no.
    /// </summary>
    public Task<TResult> RunActivityAsync<TResult>(string name, IActivityInput input, Func<bool>? starting = null)
    {
        // A call the journal answers replays without a slot; any other takes one, or waits for one in call order.
        var recorded = _journal?.IsRecorded(input.Key) ?? false;
        var call = new ActivityCall<TResult>(this, name, input, starting, holdsSlot: !recorded);
        if (recorded || _slots.TakeOrWait(call))
        {
            // Starts in the step that makes it, as a call to Durable does.
            if (call.Starting())
            {
                call.Run();
            }
            else
            {
                if (!recorded)
                {
                    _slots.Release();
                }

                call.HoldBack();
            }
        }

        return call.Task;
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
    /// <remarks>
    /// The call frees its slot only after handing its result over, when the orchestration's continuation for it is
    /// already queued on the orchestration's scheduler: the call that gets the slot next is asked behind it.
    /// </remarks>
    private sealed class ActivityCall<TResult>(InProcessRuntime runtime, string name, IActivityInput input, Func<bool>? starting, bool holdsSlot) : TaskCompletionSource<TResult>, ActivitySlots.IWaiter
    {
        /// <summary>Asked as orchestration code; a throw fails the call (and holds it back), never the scheduler.</summary>
        public bool Starting()
        {
            try
            {
                return starting?.Invoke() ?? true;
            }
            catch (Exception e)
            {
                TrySetException(e);
                return false;
            }
        }

        // Queued as Task.Run queues (local to the orchestration's thread): which of two results the orchestration
        // sees first, when both are ready at once, stays what it was.
        public void Run() => ThreadPool.QueueUserWorkItem(static c => c.Start(), this, preferLocal: true);

        // Holds no slot: a call held back as it took a free one has given it back, and one held back at its turn
        // in the line never had it (the slot goes to the next in line).
        public void HoldBack() => TrySetResult(default!);

        private void Start() => _ = RunAsync();

        private async Task RunAsync()
        {
            try
            {
                var result = runtime._journal is null
                    ? await runtime._activities.InvokeAsync(name, input, runtime._runCancel.Token)
                    : await runtime._journal.RunAsync(name, input, typeof(TResult), () => runtime._activities.InvokeAsync(name, input, runtime._runCancel.Token));
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
            finally
            {
                if (holdsSlot)
                {
                    runtime._slots.Release();
                }
            }
        }
    }

    public void Dispose()
    {
        _userCancel.Dispose();
        _runCancel.Dispose();
    }
}
