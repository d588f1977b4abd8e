using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Api;

/// <summary>
/// Starts, cancels and watches orchestrations for the API: a DurableTask.Core client on <c>dp serve</c>, a
/// <c>DurableTaskClient</c> in the Function App. The run's record already exists when it is called.
/// </summary>
public interface IRunScheduler
{
    /// <summary>The runner's name written into records: <c>durable</c>, on Azure and on the local host alike.</summary>
    string RunnerName { get; }

    /// <summary>Schedules the <c>RunPipeline</c> orchestration with the run id as its instance id.</summary>
    Task ScheduleAsync(RunPipelineInput run, CancellationToken cancellationToken);

    /// <summary>Sends the cancel event to a run; false when no such run is active here.</summary>
    Task<bool> CancelAsync(string runId, CancellationToken cancellationToken);

    /// <summary>
    /// Sends the suspension event to a run: a suspend (<paramref name="suspended"/> true) or a resume; false when no
    /// such run is active here.
    /// </summary>
    Task<bool> SetSuspendedAsync(string runId, bool suspended, CancellationToken cancellationToken);

    /// <summary>Raises an event on a run, for its <c>wait</c> results; false when no such run is active here.</summary>
    Task<bool> RaiseEventAsync(string runId, RunEventMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Hands an operator's retry, skip or fail of a waiting task result to a run; false when no such run is active here.
    /// </summary>
    Task<bool> RepairAsync(string runId, RepairMessage repair, CancellationToken cancellationToken);

    /// <summary>
    /// The live progress of a run that has not finished: its orchestration's custom status (<see cref="RunProgress"/>),
    /// or null when the engine has none yet.
    /// </summary>
    Task<RunProgress?> GetProgressAsync(string runId, CancellationToken cancellationToken);
}
