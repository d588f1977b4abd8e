namespace DurablePipelines.Records;

/// <summary>Status of a run, a pipeline result, a task execution or a task result (docs/rules.md, Statuses).</summary>
public enum RunStatus
{
    /// <summary>Not started yet.</summary>
    Pending,

    /// <summary>Started, not finished.</summary>
    Running,

    /// <summary>Finished without failure.</summary>
    Succeeded,

    /// <summary>Finished with a failure.</summary>
    Failed,

    /// <summary>Never started, or stopped, because of a failure, a ttl or a cancel.</summary>
    Cancelled,

    /// <summary>A run cancelled by a user.</summary>
    Terminated,

    /// <summary>
    /// A run an operator suspended: no new task result starts until it is resumed; results already running finish
    /// and are recorded. Not final. Only a run has it, in its live view and run log.
    /// </summary>
    Suspended,
}
