namespace DurablePipelines.Records;

/// <summary>
/// What a <see cref="StateChange"/> says happened (docs/api.md, Run log). The run log and the events queue write the
/// member's name (<c>"Started"</c>), so the names are part of the wire format: rename none.
/// </summary>
public enum StateAction
{
    /// <summary>A run, pipeline result, task execution or task result attempt started (status Running).</summary>
    Started,

    /// <summary>It finished without failure.</summary>
    Succeeded,

    /// <summary>It finished with a failure; for a task result, its last attempt failed.</summary>
    Failed,

    /// <summary>A task result's attempt failed and another attempt follows (status Running).</summary>
    Retrying,

    /// <summary>A task result's last attempt ran out of time (status Failed).</summary>
    TimedOut,

    /// <summary>It ended, or never started, because of a failure, a ttl or a cancel.</summary>
    Cancelled,

    /// <summary>A run cancelled by a user.</summary>
    Terminated,

    /// <summary>An operator suspended the run (status Suspended).</summary>
    Suspended,

    /// <summary>An operator resumed a suspended run (status Running).</summary>
    Resumed,

    /// <summary>
    /// A rerun kept a pipeline result, task execution or task result that succeeded in the run it reruns, without
    /// running it (status Succeeded).
    /// </summary>
    Reused,

    /// <summary>
    /// A task result's last attempt failed and, as its task's <c>repair</c> asks, it waits for an operator (status
    /// Running, with the attempt's error).
    /// </summary>
    WaitingForOperator,

    /// <summary>An operator retried a result that waited for one (status Running): its next attempt follows.</summary>
    RetriedByOperator,

    /// <summary>An operator skipped a result that waited for one, giving its output (status Succeeded).</summary>
    SkippedByOperator,

    /// <summary>An operator failed a result that waited for one (status Failed, with the last attempt's error).</summary>
    FailedByOperator,
}
