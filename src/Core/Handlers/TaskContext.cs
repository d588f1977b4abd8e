using System.Text.Json.Nodes;

namespace DurablePipelines.Handlers;

/// <summary>
/// What a handler gets for one attempt of one task result. <see cref="ToTaskInput"/> gives the task input
/// of docs/definition.md: <c>{ input, item, taskItem, parents, config }</c>.
/// </summary>
public sealed record TaskContext
{
    /// <summary>The run.</summary>
    public required string RunId { get; init; }

    /// <summary>The pipeline's name.</summary>
    public required string Pipeline { get; init; }

    /// <summary>The task's name.</summary>
    public required string Task { get; init; }

    /// <summary>Index of the pipeline result (pipeline-iterator item), 0 without an iterator.</summary>
    public int PipelineResult { get; init; }

    /// <summary>Index of the task result (task-iterator item), 0 without an iterator.</summary>
    public int TaskResult { get; init; }

    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The run input.</summary>
    public JsonNode? Input { get; init; }

    /// <summary>The pipeline-iterator item, or null.</summary>
    public JsonNode? Item { get; init; }

    /// <summary>The task-iterator item, or null.</summary>
    public JsonNode? TaskItem { get; init; }

    /// <summary>Outputs of the parents by task name; an iterated parent gives the array of its results' outputs.</summary>
    public JsonObject Parents { get; init; } = [];

    /// <summary>The task's config.</summary>
    public JsonObject? Config { get; init; }

    /// <summary>The task's metadata, untouched.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>
    /// The same for every attempt and every re-run of this task result after a crash:
    /// <c>{runId}/{pipelineResult}/{task}/{taskResult}</c>. Use it to make side effects idempotent.
    /// </summary>
    public string IdempotencyKey => $"{RunId}/{PipelineResult}/{Task}/{TaskResult}";

    /// <summary>The task input object: <c>{ input, item, taskItem, parents, config }</c> (deep copies).</summary>
    public JsonObject ToTaskInput() => new()
    {
        ["input"] = Input?.DeepClone(),
        ["item"] = Item?.DeepClone(),
        ["taskItem"] = TaskItem?.DeepClone(),
        ["parents"] = Parents.DeepClone(),
        ["config"] = Config?.DeepClone(),
    };
}
