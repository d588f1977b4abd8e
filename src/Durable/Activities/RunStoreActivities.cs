using DurablePipelines.Records;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.Durable.Activities;

/// <summary>
/// Writes what the orchestrations produce to the run store: that the run started, the final record and the run log,
/// and publishes the run's events (<see cref="IRunEventPublisher"/>, when the host has one) as their rows are written.
/// Orchestration code cannot do I/O, so these are activities; like every activity they may run more than once.
/// </summary>
public sealed class RunStoreActivities(IRunStore store, ILogger<RunStoreActivities> logger, IRunEventPublisher? events = null)
{
    /// <summary>Name of the activity that marks a run started (<see cref="MarkRunStartedAsync"/>).</summary>
    public const string MarkRunStarted = nameof(MarkRunStarted);

    /// <summary>Name of the activity that saves a run's final record (<see cref="SaveRunRecordAsync"/>).</summary>
    public const string SaveRunRecord = nameof(SaveRunRecord);

    /// <summary>Name of the activity that appends a sub-orchestration's run log rows (<see cref="AppendRunLogAsync"/>).</summary>
    public const string AppendRunLog = nameof(AppendRunLog);

    /// <summary>How many events of one batch are sent at once; the queue may hold them in any order (each has its time).</summary>
    internal const int PublishConcurrency = 8;

    /// <summary>
    /// Turns the admitted run's Pending record Running, so lists and filters see it running; nothing when the record
    /// is no longer that run's pending one (<see cref="IRunStore.MarkStartedAsync"/>), so a repeated call is harmless.
    /// </summary>
    public async Task MarkRunStartedAsync(MarkRunStartedRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await store.MarkStartedAsync(request.RunId, request.CreatedAt, request.StartedAt, cancellationToken);
    }

    /// <summary>Saves a run's final record, after its top-level run log rows, then publishes their events and <c>Finished</c>.</summary>
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

        // Rows of the pipeline result a run without a pipeline iterator runs inline are not events (as in the rows of
        // RunPipelineItem, which only a pipeline iterator makes, they are).
        if (await PublishAsync(record.RunId, request.Log.Where(r => r.PipelineResult is null || r.Task is not null), cancellationToken))
        {
            await PublishAsync(record.RunId, e => e.PublishFinishedAsync(record, cancellationToken));
        }

        var results = record.PipelineResults.SelectMany(r => r.TaskExecutions).SelectMany(t => t.TaskResults).ToList();
        var duration = record.StartedAt is { } started && record.FinishedAt is { } finished ? (finished - started).TotalMilliseconds : 0;
        var failed = results.Count(r => r.Status == RunStatus.Failed);
        Log.RunFinished(logger, record.RunId, record.Pipeline, record.Status, duration, results.Count, failed);
    }

    /// <summary>Appends the run log rows of one sub-orchestration, then publishes their events.</summary>
    public async Task AppendRunLogAsync(AppendRunLogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await store.AppendLogAsync(request.RunId, request.Log, cancellationToken);
        await PublishAsync(request.RunId, request.Log, cancellationToken);
    }

    /// <summary>
    /// One <c>StateChanged</c> event per row of the run, a pipeline result or a task execution (task result rows are not
    /// events), <see cref="PublishConcurrency"/> sends at a time: one after another, a chain of 30 tasks waited about
    /// 150 ms on Azurite for its 62 events before its orchestration could end. After the first send the queue did not
    /// take, no further send of the batch starts: a queue that is away would make each of them wait out the storage
    /// client's retries. False then.
    /// </summary>
    private Task<bool> PublishAsync(string runId, IEnumerable<StateChange> rows, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = PublishConcurrency, CancellationToken = cancellationToken };
        return PublishAsync(runId, e => Parallel.ForEachAsync(rows.Where(r => r.TaskResult is null), options, async (row, token) => await e.PublishStateChangedAsync(row, token)));
    }

    /// <summary>
    /// Events are notifications beside the stored record and log, which stay the truth: a queue that cannot take one is
    /// logged with the rest of its batch dropped, and the activity is not failed for it (a retry would write the rows again).
    /// A batch's sends still in flight when one fails are stopped; the loop reports that failure, not their cancellation.
    /// </summary>
    private async Task<bool> PublishAsync(string runId, Func<IRunEventPublisher, Task> publish)
    {
        if (events is null)
        {
            return true;
        }

        try
        {
            await publish(events);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            Log.EventNotPublished(logger, runId, ex);
            return false;
        }
    }
}
