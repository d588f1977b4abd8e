using DurablePipelines.Records;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.FunctionApp.Activities;

/// <summary>
/// Writes what the orchestrations produce to the run store: the final record and the run log. Orchestration code
/// cannot do I/O, so these are activities; like every activity they may run more than once.
/// </summary>
public sealed class RunStoreActivities(IRunStore store, ILogger<RunStoreActivities> logger)
{
    /// <summary>Saves a run's final record, then its top-level run log rows.</summary>
    [Function(nameof(SaveRunRecord))]
    public async Task SaveRunRecord([ActivityTrigger] SaveRunRecordRequest request, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var record = request.Record;
        if (request.Log.Count > 0)
        {
            await store.AppendLogAsync(record.RunId, request.Log, context.CancellationToken);
        }

        // The record last: once it is final, readers may take the run log as complete.
        await store.SaveAsync(record, context.CancellationToken);
        var results = record.PipelineResults.SelectMany(r => r.TaskExecutions).SelectMany(t => t.TaskResults).ToList();
        var duration = record.StartedAt is { } started && record.FinishedAt is { } finished ? (finished - started).TotalMilliseconds : 0;
        var failed = results.Count(r => r.Status == RunStatus.Failed);
        Log.RunFinished(logger, record.RunId, record.Pipeline, record.Status, duration, results.Count, failed);
    }

    /// <summary>Appends the run log rows of one sub-orchestration.</summary>
    [Function(nameof(AppendRunLog))]
    public Task AppendRunLog([ActivityTrigger] AppendRunLogRequest request, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return store.AppendLogAsync(request.RunId, request.Log, context.CancellationToken);
    }
}
