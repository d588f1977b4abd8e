using System.Text.Json.Nodes;
using DurablePipelines.Definitions;

namespace DurablePipelines.Orchestration;

/// <summary>
/// What the tasks of one pipeline result are given: their shared context <c>{ input, item, parents }</c>, the
/// request every result of a task is made from, and the request that resolves a task's iterator.
/// </summary>
internal sealed class TaskInputs(PipelineItemInput input, TaskExecutions tasks, DateTime? deadline)
{
    // Whether a task of the pipeline executes as 'main': once per pipeline result, not once per task (a 100,000-task
    // pipeline would scan its tasks 100,000 times).
    private readonly bool _runHasMain = input.Definition.Tasks.Any(t => input.Definition.RunnerOf(t) == Executions.Main);

    /// <summary>The item as tasks' contexts carry it: the item itself, or a reference to it when it is large.</summary>
    public JsonNode? Item { get; set; }

    /// <summary>The task's context: the run input, the item, and the outputs of its direct parents.</summary>
    public JsonObject Context(int[] parents)
    {
        var outputs = new JsonObject();
        foreach (var p in parents)
        {
            outputs[tasks[p].Definition.Name] = tasks[p].Output?.DeepClone();
        }

        return new JsonObject
        {
            ["input"] = input.Input?.DeepClone(),
            ["item"] = Item?.DeepClone(),
            ["parents"] = outputs,
        };
    }

    /// <summary>The request the task's results are made from; <paramref name="shared"/> is its context or a reference to it.</summary>
    public TaskResultRequest Template(TaskDefinition task, JsonNode shared) => new()
    {
        RunId = input.RunId,
        Pipeline = input.Definition.Name,
        PipelineResult = input.Index,
        Task = task.Name,
        Handler = task.Handler,
        Runner = input.Definition.RunnerOf(task),
        RunHasMain = _runHasMain,
        Context = shared,
        Config = task.Config,
        Metadata = task.Metadata,
        Timeout = task.Timeout,
        Deadline = deadline,
        InlinePayloadLimit = input.Settings.InlinePayloadLimit,
    };

    /// <summary>The request that resolves the task's iterator in an activity.</summary>
    public IteratorRequest Iterator(TaskDefinition task, JsonNode shared) => new()
    {
        RunId = input.RunId,
        Pipeline = input.Definition.Name,
        PipelineResult = input.Index,
        Task = task.Name,
        Path = task.Iterator!.Path,
        Handler = task.Iterator.Handler,
        Config = task.Iterator.Config,
        Context = shared,
    };
}
