namespace DurablePipelines.Records;

/// <summary>
/// Live progress of one orchestration instance, published as custom status after every change so the
/// portal's instance view is useful on its own.
/// </summary>
public sealed record RunProgress
{
    /// <summary>The orchestration instance (run id, or a sub-orchestration's id).</summary>
    public required string InstanceId { get; init; }

    /// <summary>The instance's status.</summary>
    public RunStatus Status { get; init; }

    /// <summary>Task executions per status.</summary>
    public required StatusCounts Tasks { get; init; }

    /// <summary>Task results per status (known once a task's iterator is resolved).</summary>
    public required StatusCounts Results { get; init; }

    /// <summary>Names of the tasks running now (at most 20).</summary>
    public IReadOnlyList<string> RunningTasks { get; init; } = [];

    /// <summary>The latest failures (at most 10), newest last.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];

    /// <summary>
    /// The run's task results waiting for an operator (at most 50, longest waiting first); only the run's own instance
    /// lists them, for every result of the run.
    /// </summary>
    public IReadOnlyList<WaitingResult> Waiting { get; init; } = [];

    /// <summary>How many task results of the run wait for an operator, the ones <see cref="Waiting"/> leaves out included.</summary>
    public int WaitingCount { get; init; }

    /// <summary>When this snapshot was taken.</summary>
    public DateTime UpdatedAt { get; init; }
}

/// <summary>Counts per status.</summary>
public sealed record StatusCounts(int Pending, int Running, int Succeeded, int Failed, int Cancelled)
{
    /// <summary>All of them.</summary>
    public int Total => Pending + Running + Succeeded + Failed + Cancelled;
}
