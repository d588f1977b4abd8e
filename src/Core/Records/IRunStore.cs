using DurablePipelines.Orchestration;

namespace DurablePipelines.Records;

/// <summary>
/// Where run records and run logs live: memory in process, blob storage on the local host and on Azure.
/// Creating a record is atomic, so two starts with one run id cannot both win.
/// </summary>
public interface IRunStore
{
    /// <summary>
    /// Creates the record of a new run unless a run with the same id is active; a finished run's record is
    /// replaced, and its log and pinned run (<see cref="GetPinnedAsync"/>) go with it. Returns the active run's record
    /// when refused.
    /// </summary>
    /// <param name="record">The new run's record.</param>
    /// <param name="admitted">
    /// The run as admitted (pinned definition, input, settings), kept in the same write as the record until the
    /// record is next saved, so a run whose host stopped before it started can still start
    /// (<see cref="GetAdmittedAsync"/>); null when the runner keeps it elsewhere.
    /// </param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    Task<RunClaim> TryCreateAsync(PipelineExecution record, RunPipelineInput? admitted, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps the run as admitted, without its <see cref="RunPipelineInput.Rerun"/>, for <see cref="GetPinnedAsync"/>:
    /// called once its claim (<see cref="TryCreateAsync"/>) is won, meanwhile the run is scheduled.
    /// </summary>
    Task PinAsync(RunPipelineInput admitted, CancellationToken cancellationToken);

    /// <summary>The run as admitted with its record, until that record is saved over; otherwise null.</summary>
    Task<RunPipelineInput?> GetAdmittedAsync(string runId, CancellationToken cancellationToken);

    /// <summary>
    /// The run as admitted (its pinned definition, input and settings, without <see cref="RunPipelineInput.Rerun"/>),
    /// kept by <see cref="PinAsync"/> for as long as the record of the claim that admitted it, so a rerun runs the
    /// definition the run ran with; null when the run is unknown or none was kept (runs from before it was kept, or
    /// whose pin failed).
    /// </summary>
    Task<RunPipelineInput?> GetPinnedAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Writes the current record of a run.</summary>
    Task SaveAsync(PipelineExecution record, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the run that was admitted at <paramref name="createdAt"/> as started: its record, still <c>Pending</c>, becomes
    /// <c>Running</c> with <paramref name="startedAt"/>. False, changing nothing, when the record is gone, belongs to another
    /// run with the same id, or is no longer pending, so a repeated call can never put a finished run back to running.
    /// </summary>
    Task<bool> MarkStartedAsync(string runId, DateTime createdAt, DateTime startedAt, CancellationToken cancellationToken);

    /// <summary>The record of a run, or null.</summary>
    Task<PipelineExecution?> GetAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Recent runs, newest first, optionally of one pipeline and one status.</summary>
    Task<IReadOnlyList<PipelineExecution>> ListAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>Appends run log rows, in order.</summary>
    Task AppendLogAsync(string runId, IReadOnlyList<StateChange> rows, CancellationToken cancellationToken);

    /// <summary>The run log, oldest first.</summary>
    Task<IReadOnlyList<StateChange>> GetLogAsync(string runId, CancellationToken cancellationToken);
}
