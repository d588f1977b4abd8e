using DurablePipelines.Activities;
using DurablePipelines.Orchestration;
using Microsoft.Azure.Functions.Worker;

namespace DurablePipelines.FunctionApp.Activities;

/// <summary>The algorithm's activities, each bound to the matching <see cref="PipelineActivities"/> method.</summary>
public sealed class PipelineActivityFunctions(PipelineActivities activities)
{
    /// <summary>Runs one attempt of one task result's handler; a handler's failure comes back as a value.</summary>
    [Function(ActivityNames.RunTaskResult)]
    public Task<TaskResultOutcome> RunTaskResult([ActivityTrigger] TaskResultRequest request, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return activities.RunTaskResultAsync(request, context.CancellationToken);
    }

    /// <summary>Lists an iterator's items through an iterator source, or reads a path through stored payloads.</summary>
    [Function(ActivityNames.ResolveIterator)]
    public Task<IteratorOutcome> ResolveIterator([ActivityTrigger] IteratorRequest request, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return activities.ResolveIteratorAsync(request, context.CancellationToken);
    }

    /// <summary>Stores a large payload in blob storage and returns its reference.</summary>
    [Function(ActivityNames.StorePayload)]
    public Task<string> StorePayload([ActivityTrigger] StorePayloadRequest request, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return activities.StorePayloadAsync(request, context.CancellationToken);
    }
}
