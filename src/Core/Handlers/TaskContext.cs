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
    public JsonNode? Input { get => InputValue.Value; init => InputValue = CopyOnRead.Own(value); }

    /// <summary>The pipeline-iterator item, or null.</summary>
    public JsonNode? Item { get => ItemValue.Value; init => ItemValue = CopyOnRead.Own(value); }

    /// <summary>The task-iterator item, or null.</summary>
    public JsonNode? TaskItem { get; init; }

    /// <summary>Outputs of the parents by task name; an iterated parent gives the array of its results' outputs.</summary>
    public JsonObject Parents { get => (JsonObject)ParentsValue.Value!; init => ParentsValue = CopyOnRead.Own(value); }

    /// <summary>The task's config.</summary>
    public JsonObject? Config { get; init; }

    /// <summary>The task's metadata, untouched.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>
    /// <see cref="Input"/>, <see cref="Item"/> and <see cref="Parents"/> are the same for every result of a task: an
    /// executor shares them, and each handler gets its own copy when it first reads one.
    /// </summary>
    internal CopyOnRead InputValue { get; init; } = CopyOnRead.Own(null);

    /// <inheritdoc cref="InputValue"/>
    internal CopyOnRead ItemValue { get; init; } = CopyOnRead.Own(null);

    /// <inheritdoc cref="InputValue"/>
    internal CopyOnRead ParentsValue { get; init; } = CopyOnRead.Own(new JsonObject());

    /// <summary>
    /// The same for every attempt and every re-run of this task result after a crash:
    /// <c>{runId}/{pipelineResult}/{task}/{taskResult}</c>. Use it to make side effects idempotent.
    /// </summary>
    public string IdempotencyKey => $"{RunId}/{PipelineResult}/{Task}/{TaskResult}";

    /// <summary>The task input object: <c>{ input, item, taskItem, parents, config }</c> (deep copies).</summary>
    public JsonObject ToTaskInput() => new()
    {
        ["input"] = InputValue.Copy(),
        ["item"] = ItemValue.Copy(),
        ["taskItem"] = TaskItem?.DeepClone(),
        ["parents"] = ParentsValue.Copy(),
        ["config"] = Config?.DeepClone(),
    };
}
