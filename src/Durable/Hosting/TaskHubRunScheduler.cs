using DurablePipelines.Api;
using DurablePipelines.Durable.Runners;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.Durable.Hosting;

/// <summary>
/// The API's scheduler on a host's own <see cref="TaskHub"/> (<c>dp serve</c>): a start creates the run's
/// orchestration instance (instance id = run id), a cancel raises the cancel event on it, and the live view is its
/// custom status, all through the engine's client, as the Function App does through Durable's. Any host sharing the
/// task hub can start, cancel and watch any run.
/// </summary>
public sealed class TaskHubRunScheduler(TaskHubHost host, IRunStore store, ILogger<TaskHubRunScheduler> logger) : IRunScheduler
{
    public string RunnerName => DurableRunner.RunnerName;

    public async Task ScheduleAsync(RunPipelineInput run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var hub = await host.GetAsync();
        await EngineCallAsync(run.RunId, "start", () => hub.ScheduleAsync(run));
        Log.RunScheduled(logger, run.RunId);
    }

    public async Task<bool> CancelAsync(string runId, CancellationToken cancellationToken)
    {
        var hub = await host.GetAsync();
        return await EngineCallAsync(runId, "cancel", () => hub.TryCancelAsync(runId));
    }

    public async Task<bool> SetSuspendedAsync(string runId, bool suspended, CancellationToken cancellationToken)
    {
        var hub = await host.GetAsync();
        return await EngineCallAsync(runId, suspended ? "suspend" : "resume", () => hub.TrySetSuspendedAsync(runId, suspended));
    }

    public async Task<bool> RaiseEventAsync(string runId, RunEventMessage message, CancellationToken cancellationToken)
    {
        var hub = await host.GetAsync();
        return await EngineCallAsync(runId, "raise an event on", () => hub.TryRaiseEventAsync(runId, message));
    }

    public async Task<bool> RepairAsync(string runId, RepairMessage repair, CancellationToken cancellationToken)
    {
        var hub = await host.GetAsync();
        return await EngineCallAsync(runId, "repair a result of", () => hub.TryRepairAsync(runId, repair));
    }

    /// <summary>The custom status; null, logged, when the engine cannot say now (the record still answers).</summary>
    public async Task<RunProgress?> GetProgressAsync(string runId, CancellationToken cancellationToken)
    {
        var hub = await host.GetAsync();
        try
        {
            return (await hub.GetStateAsync(runId))?.Progress;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            Log.EngineUnavailable(logger, runId, "read the progress of", ex);
            return null;
        }
    }

    /// <summary>
    /// Schedules every run of the store admitted as Pending whose orchestration the engine does not have (its host
    /// stopped between the claim and the start), oldest first; a run whose admitted input is gone is recorded Failed.
    /// Returns how many were scheduled. Runs the engine has resume by themselves, on whichever host holds their partition.
    /// </summary>
    public async Task<int> ScheduleAdmittedAsync(CancellationToken cancellationToken)
    {
        var hub = await host.GetAsync();
        var pending = await store.ListAsync(new RunQuery(null, RunStatus.Pending, int.MaxValue), cancellationToken);
        var scheduled = 0;
        foreach (var record in pending.Where(r => r.Runner == RunnerName).OrderBy(r => r.CreatedAt).ThenBy(r => r.RunId, StringComparer.Ordinal))
        {
            if (await hub.GetStateAsync(record.RunId) is not null)
            {
                continue;
            }

            if (await store.GetAdmittedAsync(record.RunId, cancellationToken) is not { } run)
            {
                await store.SaveAsync(record with
                {
                    Status = RunStatus.Failed,
                    FinishedAt = DateTime.UtcNow,
                    Error = new TaskError(TaskErrorTypes.ResumeFailed, "the run was admitted but never started, and the run as admitted is no longer stored; start it again"),
                }, cancellationToken);
                continue;
            }

            await hub.ScheduleAsync(run);
            scheduled++;

            // Its start may have stopped before the run was kept for a rerun. As at a start, a pin that fails does not
            // unmake the scheduled run (nor stop this host from starting): it is logged, and a rerun of it is refused.
            try
            {
                await store.PinAsync(run, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                Log.RunNotPinned(logger, run.RunId, ex);
            }
        }

        return scheduled;
    }

    /// <summary>The engine's storage not answering is the run store not answering: the API answers 503 with Retry-After.</summary>
    private async Task<T> EngineCallAsync<T>(string runId, string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException and not ArgumentException)
        {
            Log.EngineUnavailable(logger, runId, what, ex);
            throw new RunStoreUnavailableException($"the engine could not {what} run '{runId}': {ex.Message}", ex);
        }
    }

    private Task<bool> EngineCallAsync(string runId, string what, Func<Task> call) =>
        EngineCallAsync(runId, what, async () => { await call(); return true; });
}
