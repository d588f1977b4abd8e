using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>The mutable state of one task execution while its pipeline result runs.</summary>
internal sealed class TaskExecutionState(TaskDefinition definition, int index)
{
    public TaskDefinition Definition { get; } = definition;

    /// <summary>The task's index in definition order (its index in the task graph).</summary>
    public int Index { get; } = index;

    public RunStatus Status { get; set; } = RunStatus.Pending;

    public DateTime? StartedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    public TaskError? Error { get; set; }

    public TaskResult[] Results { get; set; } = [];

    /// <summary>What children see as <c>parents.&lt;task&gt;.output</c>.</summary>
    public JsonNode? Output =>
        Definition.Iterator is null
            ? Results.Length == 1 ? Results[0].Output : null
            : new JsonArray([.. Results.Select(r => r.Output?.DeepClone())]);

    public TaskExecution ToRecord() => new()
    {
        Task = Definition.Name,
        Status = Status,
        StartedAt = StartedAt,
        FinishedAt = FinishedAt,
        Metadata = Definition.Metadata,
        Error = Error,
        TaskResults = Results,
    };
}
