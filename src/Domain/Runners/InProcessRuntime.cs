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
    private readonly TaskCompletionSource<string> _cancelEvent = new();
    private readonly TaskScheduler _scheduler = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;

    public InProcessRuntime(string runId, PipelineActivities activities, IPipelineReporter reporter, TimeProvider time, int maxConcurrentActivities, CancellationToken cancellationToken)
    {
        RunId = runId;
        _activities = activities;
        Reporter = reporter;
        Time = time;
        MaxConcurrentActivities = maxConcurrentActivities;
        _limiter = new SemaphoreSlim(maxConcurrentActivities, maxConcurrentActivities);
        _runCancel = new CancellationTokenSource();

        // Order matters: setting the event queues every orchestration's cancel watcher on the exclusive
        // scheduler at once, so they stop the run before any activity stopped by the cancel reports back;
        // otherwise that stopped attempt reads as a failure and the run ends Failed instead of Terminated.
        _userCancel = cancellationToken.Register(() =>
        {
            _cancelEvent.TrySetResult("cancelled");
            _runCancel.Cancel();
        });
    }

    public string RunId { get; }

    public IPipelineReporter Reporter { get; }

    public TimeProvider Time { get; }

    public int MaxConcurrentActivities { get; }

    public Task<string> CancelEvent => _cancelEvent.Task;

    public Task<PipelineExecution> RunAsync(RunPipelineInput input)
    {
        var context = new InProcessOrchestrationContext(this, input.RunId);
        return Start(() => PipelineOrchestration.RunPipelineAsync(context, input));
    }

    /// <summary>Runs orchestration code on the run's exclusive scheduler.</summary>
    public Task<T> Start<T>(Func<Task<T>> orchestration) =>
        Task.Factory.StartNew(orchestration, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();

    /// <summary>Runs an activity on the thread pool once the limiter lets it.</summary>
    public Task<object?> RunActivityAsync(string name, IActivityInput input) => Task.Run(async () =>
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
    });

    public void Dispose()
    {
        _userCancel.Dispose();
        _runCancel.Dispose();
        _limiter.Dispose();
    }
}
