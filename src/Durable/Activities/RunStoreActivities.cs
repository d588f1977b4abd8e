using DurablePipelines.Records;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.Durable.Activities;

/// <summary>
/// Writes what the orchestrations produce to the run store: the final record and the run log. Orchestration code
/// cannot do I/O, so these are activities; like every activity they may run more than once.
/// </summary>
public sealed class RunStoreActivities(IRunStore store, ILogger<RunStoreActivities> logger)
{
    /// <summary>Name of the activity that saves a run's final record (<see cref="SaveRunRecordAsync"/>).</summary>
    public const string SaveRunRecord = nameof(SaveRunRecord);

    /// <summary>Name of the activity that appends a sub-orchestration's run log rows (<see cref="AppendRunLogAsync"/>).</summary>
    public const string AppendRunLog = nameof(AppendRunLog);

    /// <summary>Saves a run's final record, after its top-level run log rows.</summary>
    public async Task SaveRunRecordAsync(SaveRunRecordRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = request.Record;
        if (request.Log.Count > 0)
        {
            await store.AppendLogAsync(record.RunId, request.Log, cancellationToken);
        }

        // The record last: once it is final, readers may take the run log as complete.
        await store.SaveAsync(record, cancellationToken);
        var results = record.PipelineResults.SelectMany(r => r.TaskExecutions).SelectMany(t => t.TaskResults).ToList();
        var duration = record.StartedAt is { } started && record.FinishedAt is { } finished ? (finished - started).TotalMilliseconds : 0;
        var failed = results.Count(r => r.Status == RunStatus.Failed);
        Log.RunFinished(logger, record.RunId, record.Pipeline, record.Status, duration, results.Count, failed);
    }

    /// <summary>Appends the run log rows of one sub-orchestration.</summary>
    public Task AppendRunLogAsync(AppendRunLogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return store.AppendLogAsync(request.RunId, request.Log, cancellationToken);
    }
}
