namespace DurablePipelines.Orchestration;

/// <summary>
/// Whether a pipeline result still starts work: not once the run is cancelled or its ttl has expired (the signal), nor,
/// in a <c>failFast</c> pipeline, once one of its tasks has failed (rule 6); and what the work that never started says.
/// </summary>
/// <remarks>
/// failFast is kept apart from the signal: it stops starts in this pipeline result only (rule 3), lets retries of
/// work already running go on, and must not hide a later cancel or ttl, which decide the run's status.
/// </remarks>
internal sealed class PipelineResultStop(StopSignal signal, bool failFast)
{
    private bool _failedFast;

    /// <summary>True once nothing new may start.</summary>
    public bool Stopping => _failedFast || signal.Stopped;

    /// <summary>What tasks and task results that never started say.</summary>
    public string Reason => signal.Reason switch
    {
        StopReason.Cancelled => "not started: the run was cancelled",
        StopReason.Ttl => "not started: the run's ttl expired",
        _ => "not started: a task failed and the pipeline is failFast",
    };

    /// <summary><see cref="Reason"/> once nothing new may start; null while work may start.</summary>
    public string? ReasonIfStopping => Stopping ? Reason : null;

    /// <summary>
    /// A task failed. In a failFast pipeline nothing new starts from now on, and the task chunks running now, which
    /// check only their own signal, are told to start no more results either.
    /// </summary>
    public void TaskFailed()
    {
        if (!failFast || _failedFast)
        {
            return;
        }

        _failedFast = true;
        signal.StopChildren(Reason);
    }
}
