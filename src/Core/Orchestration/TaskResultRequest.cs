using System.Text.Json.Nodes;

namespace DurablePipelines.Orchestration;

/// <summary>Input of <see cref="ActivityNames.RunTaskResult"/>: one attempt of one task result.</summary>
public sealed record TaskResultRequest : IActivityInput
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The pipeline's name.</summary>
    public required string Pipeline { get; init; }

    /// <summary>The pipeline result's index.</summary>
    public int PipelineResult { get; init; }

    /// <summary>The task's name.</summary>
    public required string Task { get; init; }

    /// <summary>The handler to run.</summary>
    public required string Handler { get; init; }

    /// <summary>
    /// The task runner that executes the attempt (the task's <c>using</c> or <c>execution</c>, or the pipeline's); null
    /// leaves it to the host's <c>Pipelines:Execution</c>.
    /// </summary>
    public string? Runner { get; init; }

    /// <summary>
    /// True when a task of the run says it executes as <c>main</c>: then every result of the run takes its turn with
    /// the <c>main</c> ones (alone or together), which a run without one skips.
    /// </summary>
    public bool RunHasMain { get; init; }

    /// <summary>The task result's index.</summary>
    public int TaskResult { get; init; }

    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The task-iterator item, or null.</summary>
    public JsonNode? TaskItem { get; init; }

    /// <summary>
    /// <c>{ input, item, parents }</c> shared by every result of the task execution, or a payload reference
    /// to it when it is large.
    /// </summary>
    public JsonNode? Context { get; init; }

    /// <summary>The task's config.</summary>
    public JsonObject? Config { get; init; }

    /// <summary>The task's metadata.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>Time allowed to this attempt.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The run's ttl deadline.</summary>
    public DateTime? Deadline { get; init; }

    /// <summary>Outputs larger than this go by reference.</summary>
    public int InlinePayloadLimit { get; init; } = OrchestrationSettings.DefaultInlinePayloadLimit;

    /// <inheritdoc />
    public string Key => ActivityKeys.TaskResult(RunId, PipelineResult, Task, TaskResult, Attempt);
}
