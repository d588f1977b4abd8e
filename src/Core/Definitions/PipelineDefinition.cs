using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace DurablePipelines.Definitions;

/// <summary>
/// A named, versioned pipeline: its tasks, their parents, iterators and options (docs/definition.md).
/// Loaded from JSON by <see cref="PipelineDefinitionReader"/> or built in code with <see cref="PipelineBuilder"/>.
/// </summary>
public sealed record PipelineDefinition
{
    /// <summary>The pipeline's name, unique in a catalog.</summary>
    public required string Name { get; init; }

    /// <summary>The definition's version, carried into every record.</summary>
    public string Version { get; init; } = "1";

    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }

    /// <summary>Pipeline iterator: the whole pipeline runs once per item (one pipeline result each).</summary>
    public IteratorDefinition? Iterator { get; init; }

    /// <summary>When true, the first failed task cancels everything not yet started.</summary>
    public bool FailFast { get; init; }

    /// <summary>When true, a run may start with the id of a run that is still active.</summary>
    public bool Multilaunch { get; init; }

    /// <summary>Template deriving the run id from the input, such as <c>orders-{input.date}</c>.</summary>
    public string? RunIdFrom { get; init; }

    /// <summary>A run not finished within this time is cancelled.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>How the results of every task that says neither <c>execution</c> nor <c>using</c> execute; null takes the host's.</summary>
    public string? Execution { get; init; }

    /// <summary>
    /// The task runner <paramref name="task"/>'s results run with: its <c>using</c>, else its <c>execution</c>, else the
    /// pipeline's; null leaves it to the host (<c>Pipelines:Execution</c>).
    /// </summary>
    public string? RunnerOf(TaskDefinition task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Using ?? task.Execution ?? Execution;
    }

    /// <summary>Operator repair for every task that sets no <see cref="TaskDefinition.Repair"/> of its own.</summary>
    public RepairPolicy? Repair { get; init; }

    /// <summary>The repair policy <paramref name="task"/> runs with: its own, else the pipeline's, else none.</summary>
    public RepairPolicy? RepairOf(TaskDefinition task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Repair ?? Repair;
    }

    /// <summary>Carried untouched into the records.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>The tasks, in definition order.</summary>
    public required IReadOnlyList<TaskDefinition> Tasks { get; init; }

    /// <summary>True when any task declares parents: the pipeline is a graph, not a sequence (rule 5).</summary>
    [JsonIgnore]
    public bool IsGraph => Tasks.Any(t => t.Parents is not null);
}
