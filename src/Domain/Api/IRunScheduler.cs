using DurablePipelines.Orchestration;

namespace DurablePipelines.Api;

/// <summary>
/// Starts and cancels orchestrations for the API: the local host's durable runner in process, a
/// <c>DurableTaskClient</c> in the Function App. The run's record already exists when it is called.
/// </summary>
public interface IRunScheduler
{
    /// <summary>The runner's name written into records: <c>durable</c> on Azure, <c>local</c> on the local host.</summary>
    string RunnerName { get; }

    /// <summary>Schedules the <c>RunPipeline</c> orchestration with the run id as its instance id.</summary>
    Task ScheduleAsync(RunPipelineInput run, CancellationToken cancellationToken);

    /// <summary>Sends the cancel event to a run; false when no such run is active here.</summary>
    Task<bool> CancelAsync(string runId, CancellationToken cancellationToken);
}
