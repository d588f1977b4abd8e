using DurablePipelines.Activities;
using DurablePipelines.Orchestration;

namespace DurablePipelines.Runners;

/// <summary>
/// One activity call of an in-process run, on the thread pool: what <c>Task.Run</c> of an async lambda does, in one
/// object instead of a closure, a delegate, a task of a task and its unwrapping (every task result makes one).
/// </summary>
/// <remarks>
/// A call runs as it is made, as a call to Durable does: the orchestration keeps within the run's limit of activities
/// itself, and decides before it calls whether the work may still start. The returned task completes on the thread
/// pool; the orchestration's await brings it back to its loop.
/// </remarks>
internal sealed class ActivityCall<TResult> : TaskCompletionSource<TResult>
{
    private readonly PipelineActivities _activities;
    private readonly string _name;
    private readonly IActivityInput _input;
    private readonly CancellationToken _cancellationToken;

    private ActivityCall(PipelineActivities activities, string name, IActivityInput input, CancellationToken cancellationToken)
    {
        _activities = activities;
        _name = name;
        _input = input;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Starts the activity <paramref name="name"/>; <paramref name="cancellationToken"/> is its handler's.</summary>
    public static Task<TResult> Start(PipelineActivities activities, string name, IActivityInput input, CancellationToken cancellationToken)
    {
        var call = new ActivityCall<TResult>(activities, name, input, cancellationToken);

        // Queued as Task.Run queues (local to the orchestration's thread): which of two results the orchestration
        // sees first, when both are ready at once, stays what it was.
        ThreadPool.QueueUserWorkItem(static c => c.Run(), call, preferLocal: true);
        return call.Task;
    }

    private void Run() => _ = RunAsync();

    private async Task RunAsync()
    {
        try
        {
            TrySetResult(await _activities.InvokeAsync<TResult>(_name, _input, _cancellationToken));
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
