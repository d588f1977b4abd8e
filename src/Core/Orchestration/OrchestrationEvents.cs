namespace DurablePipelines.Orchestration;

/// <summary>Names of the external events an orchestration listens to.</summary>
public static class OrchestrationEvents
{
    /// <summary>Stop scheduling: not-started task results end Cancelled and the run ends Terminated.</summary>
    public const string Cancel = nameof(Cancel);

    /// <summary>
    /// Sent by a pipeline result to a task chunk it runs: start no more task results. The ones not started end
    /// Cancelled with the reason the event carries; the ones running finish, retries included. Unlike
    /// <see cref="Cancel"/> it is no user's: the run's status still comes from its results. Sent when the pipeline
    /// result stops for <c>failFast</c>, and to a task's other running chunks when one of them returns a failed result.
    /// </summary>
    public const string Stop = nameof(Stop);

    /// <summary>
    /// An operator's suspend (payload <c>true</c>) or resume (<c>false</c>) of a run: while suspended, no new task result,
    /// task, chunk or pipeline result starts; what runs finishes and is recorded. Each orchestration forwards it to the
    /// sub-orchestrations it runs.
    /// </summary>
    public const string Suspension = nameof(Suspension);

    /// <summary>
    /// An event raised on the run (payload <see cref="RunEventMessage"/>), for the results of <c>wait</c> tasks. Each
    /// orchestration keeps it for the rest of the run and forwards it to the sub-orchestrations it runs.
    /// </summary>
    public const string RunEvent = nameof(RunEvent);

    /// <summary>
    /// An operator's retry, skip or fail of a task result that waits for one (payload <see cref="RepairMessage"/>),
    /// raised on the run's own instance, which sends it on to the instance where the result waits.
    /// </summary>
    public const string Repair = nameof(Repair);

    /// <summary>
    /// Sent by an orchestration instance to the run's own instance when one of its results begins or ends waiting for
    /// an operator (payload <see cref="RepairWaitNotice"/>): the run's instance lists every waiting result of the run.
    /// </summary>
    public const string RepairWait = nameof(RepairWait);
}
