using DurablePipelines.Orchestration;
using DurablePipelines.Payloads;

namespace DurablePipelines.Activities;

/// <summary>
/// Every activity of the algorithm behind one entry point, so in-process runners can dispatch by name. The
/// Durable Functions app binds each activity function to the matching method instead.
/// </summary>
public sealed class PipelineActivities(TaskResultExecutor taskResults, IteratorResolver iterators, IPayloadStore payloads)
{
    /// <summary><see cref="ActivityNames.RunTaskResult"/>.</summary>
    public Task<TaskResultOutcome> RunTaskResultAsync(TaskResultRequest request, CancellationToken cancellationToken) =>
        taskResults.RunAsync(request, cancellationToken);

    /// <summary><see cref="ActivityNames.ResolveIterator"/>.</summary>
    public Task<IteratorOutcome> ResolveIteratorAsync(IteratorRequest request, CancellationToken cancellationToken) =>
        iterators.ResolveAsync(request, cancellationToken);

    /// <summary><see cref="ActivityNames.StorePayload"/>.</summary>
    public Task<string> StorePayloadAsync(StorePayloadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return payloads.StoreAsync(request.RunId, request.Name, request.Value, cancellationToken);
    }

    /// <summary>
    /// Dispatches an activity call by name, typed: <typeparamref name="TResult"/> must be the activity's own result
    /// type. The in-process runners call every activity this way, with no box and no task besides the activity's own.
    /// </summary>
    public Task<TResult> InvokeAsync<TResult>(string name, IActivityInput input, CancellationToken cancellationToken) => name switch
    {
        ActivityNames.RunTaskResult => Typed<TaskResultOutcome, TResult>(name, RunTaskResultAsync((TaskResultRequest)input, cancellationToken)),
        ActivityNames.ResolveIterator => Typed<IteratorOutcome, TResult>(name, ResolveIteratorAsync((IteratorRequest)input, cancellationToken)),
        ActivityNames.StorePayload => Typed<string, TResult>(name, StorePayloadAsync((StorePayloadRequest)input, cancellationToken)),
        _ => throw new ArgumentException($"unknown activity '{name}'", nameof(name)),
    };

    /// <summary>Dispatches an activity call by name.</summary>
    public async Task<object?> InvokeAsync(string name, IActivityInput input, CancellationToken cancellationToken) => name switch
    {
        ActivityNames.RunTaskResult => await RunTaskResultAsync((TaskResultRequest)input, cancellationToken),
        ActivityNames.ResolveIterator => await ResolveIteratorAsync((IteratorRequest)input, cancellationToken),
        ActivityNames.StorePayload => await StorePayloadAsync((StorePayloadRequest)input, cancellationToken),
        _ => throw new ArgumentException($"unknown activity '{name}'", nameof(name)),
    };

    private static Task<TResult> Typed<TActivity, TResult>(string name, Task<TActivity> task) =>
        task as Task<TResult> ?? throw new InvalidCastException($"activity '{name}' returns {typeof(TActivity).Name}, not {typeof(TResult).Name}");
}
