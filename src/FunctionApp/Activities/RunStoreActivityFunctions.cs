using DurablePipelines.Durable.Activities;
using Microsoft.Azure.Functions.Worker;

namespace DurablePipelines.FunctionApp.Activities;

/// <summary>The run store's activity functions: shells over the bodies every durable host shares (<see cref="RunStoreActivities"/>).</summary>
public sealed class RunStoreActivityFunctions(RunStoreActivities activities)
{
    /// <summary>Marks a run's stored record Running.</summary>
    [Function(RunStoreActivities.MarkRunStarted)]
    public Task MarkRunStarted([ActivityTrigger] MarkRunStartedRequest request, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return activities.MarkRunStartedAsync(request, context.CancellationToken);
    }

    /// <summary>Saves a run's final record and its top-level run log rows.</summary>
    [Function(RunStoreActivities.SaveRunRecord)]
    public Task SaveRunRecord([ActivityTrigger] SaveRunRecordRequest request, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return activities.SaveRunRecordAsync(request, context.CancellationToken);
    }

    /// <summary>Appends the run log rows of one sub-orchestration.</summary>
    [Function(RunStoreActivities.AppendRunLog)]
    public Task AppendRunLog([ActivityTrigger] AppendRunLogRequest request, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return activities.AppendRunLogAsync(request, context.CancellationToken);
    }
}
