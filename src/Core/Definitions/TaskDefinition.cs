using System.Text.Json.Nodes;

namespace DurablePipelines.Definitions;

/// <summary>A node of a pipeline: runs a registered handler with its config.</summary>
public sealed record TaskDefinition
{
    /// <summary>The task's name, unique in its pipeline.</summary>
    public required string Name { get; init; }

    /// <summary>The registered handler that does the work.</summary>
    public required string Handler { get; init; }

    /// <summary>The handler's configuration, checked against the handler's own schema.</summary>
    public JsonObject? Config { get; init; }

    /// <summary>Tasks that must all succeed before this one starts; null when not declared.</summary>
    public IReadOnlyList<string>? Parents { get; init; }

    /// <summary>Task iterator: the task runs once per item (one task result each).</summary>
    public IteratorDefinition? Iterator { get; init; }

    /// <summary>At most this many task results of this task run at once.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Retries per task result.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>How many results of the task's iterator may fail before the task fails; null tolerates none.</summary>
    public ToleratedFailures? ToleratedFailures { get; init; }

    /// <summary>
    /// Whether a result whose last attempt failed waits for an operator instead of failing; null takes the
    /// pipeline's <see cref="PipelineDefinition.Repair"/>.
    /// </summary>
    public RepairPolicy? Repair { get; init; }

    /// <summary>How the task's results execute (<see cref="Executions"/>); null takes the pipeline's, then the host's.</summary>
    public string? Execution { get; init; }

    /// <summary>The registered task runner that executes the task's results, instead of an <see cref="Execution"/>.</summary>
    public string? Using { get; init; }

    /// <summary>Time allowed to one attempt of one task result.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Carried untouched into the records.</summary>
    public JsonObject? Metadata { get; init; }
}
