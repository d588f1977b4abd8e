using System.Text.Json.Nodes;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>
/// Runs the task results of one task execution (or of one task chunk): a sliding window of lanes, each starting a new
/// result as its last one ends, and no new result once one has failed (rule 4) or the caller stops (failFast, a cancel,
/// the ttl, a chunk's stop). With tolerated failures, "failed" means more results failed than the task tolerates. Used by the pipeline-item orchestration and by task chunks alike.
/// </summary>
/// <param name="attempts">Runs one result's attempts.</param>
/// <param name="limit">The instance's limit: a lane waits for a slot before it starts a result.</param>
/// <param name="signal">The instance's signal: a lane waits while the run is suspended before it starts a result.</param>
/// <param name="progress">The instance's progress, published as results end.</param>
/// <param name="stopReason">Why no new result may start, or null while they may.</param>
/// <param name="tolerated">How many results may fail before no new one starts (the task's toleratedFailures).</param>
/// <param name="starting">Runs as each result starts, before its start is reported.</param>
internal sealed class TaskResultRunner(TaskResultAttempts attempts, ActivityLimit limit, StopSignal signal, ProgressTracker progress, Func<string?> stopReason, int tolerated, Action? starting = null)
{
    /// <summary>What a result says that never started because another result of its task failed (rule 4).</summary>
    public const string AnotherResultFailed = "not started: another result of this task failed";

    private int _failures;

    /// <summary>
    /// Runs <paramref name="items"/> (whose first index is <paramref name="firstIndex"/>) with at most
    /// <paramref name="lanes"/> in flight; returns one result per item, in item order, those never started included.
    /// In a rerun, the items <paramref name="reused"/> has a result for are kept as the source run gave them, not run.
    /// </summary>
    public Task<TaskResult[]> RunAsync(IReadOnlyList<JsonNode?> items, int firstIndex, int lanes, TaskResult?[]? reused = null)
    {
        var count = Math.Max(1, Math.Min(lanes, items.Count));
        var window = new TaskResultWindow(items, firstIndex, count, reused);
        foreach (var r in reused ?? [])
        {
            if (r is not null)
            {
                attempts.Reused(r);
            }
        }

        // One lane (a single result, or the eager runner): the lane is the whole run, with no lanes to wait for.
        return count == 1 ? RunLaneAsync(window) : RunLanesAsync(window, count);
    }

    /// <summary>A result that never started, recorded as cancelled with the reason.</summary>
    public static TaskResult NotStarted(int index, JsonNode? item, string reason) => new()
    {
        Index = index,
        Item = item,
        Status = RunStatus.Cancelled,
        Attempts = 0,
        Error = new TaskError(TaskErrorTypes.Cancelled, reason),
    };

    private async Task<TaskResult[]> RunLanesAsync(TaskResultWindow window, int count)
    {
        var running = new Task[count];
        for (var l = 0; l < count; l++)
        {
            running[l] = RunLaneAsync(window);
        }

        await Task.WhenAll(running);
        return window.Results;
    }

    /// <summary>
    /// One lane: while an item is left and nothing stops the task, waits while the run is suspended and for a slot, asks again (what the orchestration
    /// saw while it waited counts: the result has not started yet), and runs the next item to its result. One lane
    /// runs all its items in one state machine (see <see cref="TaskResultAttempts"/>): a wide run has as many of these
    /// as results in flight, not one per result.
    /// </summary>
    private async Task<TaskResult[]> RunLaneAsync(TaskResultWindow window)
    {
        while (MayStartNext(window))
        {
            await signal.WhileSuspendedAsync();
            var takesSlot = attempts.TakesASlot;
            if (takesSlot)
            {
                await limit.TakeAsync();
            }

            if (signal.Suspended)
            {
                // Suspended while the lane waited for its slot: the result has not started, so it waits for the resume.
                ReleaseIf(takesSlot);
                continue;
            }

            if (!MayStartNext(window))
            {
                ReleaseIf(takesSlot);
                break;
            }

            var (slot, index, item) = window.TakeNext();
            starting?.Invoke();
            TaskResultOutcome first;
            try
            {
                first = await attempts.StartAsync(index, item);
            }
            finally
            {
                // Whoever waits for the slot resumes in a later step, after this one has recorded the result.
                ReleaseIf(takesSlot);
            }

            var result = await attempts.EndAsync(index, item, first);
            window.Record(slot, result);
            if (result.Status == RunStatus.Failed)
            {
                _failures++;
            }

            // The caller publishes as soon as the last lane ends, in this same step: a host would only show that one.
            if (MayStartNext(window) || window.LanesRunning > 1)
            {
                progress.Publish();
            }
        }

        if (window.LaneEnded() && window.HasNext)
        {
            window.RecordNotStarted(Failed ? FailedBeyond(tolerated) : stopReason() ?? throw new InvalidOperationException("task results were left neither started nor stopped"));
        }

        return window.Results;
    }

    /// <summary>
    /// What a result says that never started because more results of its task failed than the
    /// <paramref name="tolerated"/> it allows (rule 4).
    /// </summary>
    public static string FailedBeyond(int tolerated) =>
        tolerated == 0 ? AnotherResultFailed : $"not started: more results of this task failed than the {tolerated} it tolerates";

    private bool Failed => _failures > tolerated;

    private void ReleaseIf(bool slot)
    {
        if (slot)
        {
            limit.Release();
        }
    }

    private bool MayStartNext(TaskResultWindow window) => !Failed && window.HasNext && stopReason() is null;
}
