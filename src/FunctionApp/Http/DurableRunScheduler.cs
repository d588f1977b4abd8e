using DurablePipelines.Api;
using DurablePipelines.Durable.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.FunctionApp.Http;

/// <summary>
/// Starts and cancels runs as Durable orchestrations. Made per function invocation around the invocation's
/// <see cref="DurableTaskClient"/>, which only a <c>[DurableClient]</c> binding provides.
/// </summary>
internal sealed class DurableRunScheduler(DurableTaskClient client, ILogger logger) : IRunScheduler
{
    /// <summary>The runner name written into records.</summary>
    public string RunnerName => "durable";

    /// <summary>
    /// Schedules <see cref="OrchestratorNames.RunPipeline"/> with the run id as the instance id; while an earlier
    /// orchestration of a run id used again is still ending, waits for it to end (<see cref="EndingOrchestration"/>).
    /// </summary>
    public async Task ScheduleAsync(RunPipelineInput run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await EndingOrchestration.CreateAsync(
            run.RunId,
            () => client.ScheduleNewOrchestrationInstanceAsync(OrchestratorNames.RunPipeline, run, new StartOrchestrationOptions(run.RunId), cancellationToken),
            cancellationToken);
        Log.RunScheduled(logger, run.RunId, OrchestratorNames.RunPipeline);
    }

    /// <summary>
    /// Raises <see cref="OrchestrationEvents.Cancel"/> on the run's orchestration. The algorithm then stops
    /// scheduling, forwards the cancel to its sub-orchestrations, and records the run Terminated with every
    /// not-started task Cancelled, which terminating the instance would not do.
    /// </summary>
    public async Task<bool> CancelAsync(string runId, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(runId, false, cancellationToken);
        if (instance is null || instance.IsCompleted)
        {
            Log.CancelRefused(logger, runId);
            return false;
        }

        await client.RaiseEventAsync(runId, OrchestrationEvents.Cancel, "cancelled by a user", cancellationToken);
        Log.CancelSent(logger, runId);
        return true;
    }

    public Task<bool> SetSuspendedAsync(string runId, bool suspended, CancellationToken cancellationToken) =>
        TryRaiseAsync(runId, OrchestrationEvents.Suspension, suspended, cancellationToken);

    public Task<bool> RaiseEventAsync(string runId, RunEventMessage message, CancellationToken cancellationToken) =>
        TryRaiseAsync(runId, OrchestrationEvents.RunEvent, message, cancellationToken);

    public Task<bool> RepairAsync(string runId, RepairMessage repair, CancellationToken cancellationToken) =>
        TryRaiseAsync(runId, OrchestrationEvents.Repair, repair, cancellationToken);

    /// <summary>The run's custom status, read with the client's converter (the app's serializer).</summary>
    public async Task<RunProgress?> GetProgressAsync(string runId, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(runId, getInputsAndOutputs: true, cancellationToken);
        return instance?.SerializedCustomStatus is { Length: > 0 } ? instance.ReadCustomStatusAs<RunProgress>() : null;
    }

    /// <summary>Raises <paramref name="eventName"/> on the run's orchestration; false when it does not exist or has completed.</summary>
    private async Task<bool> TryRaiseAsync(string runId, string eventName, object payload, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(runId, false, cancellationToken);
        if (instance is null || instance.IsCompleted)
        {
            return false;
        }

        await client.RaiseEventAsync(runId, eventName, payload, cancellationToken);
        return true;
    }
}
