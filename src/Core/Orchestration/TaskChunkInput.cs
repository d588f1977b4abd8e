using System.Text.Json.Nodes;

namespace DurablePipelines.Orchestration;

/// <summary>Input of <see cref="OrchestratorNames.RunTaskChunk"/>: a slice of one task's iterator items.</summary>
public sealed record TaskChunkInput
{
    /// <summary>The template every task result request of the chunk is made from.</summary>
    public required TaskResultRequest Template { get; init; }

    /// <summary>Index of the chunk's first item in the whole iterator.</summary>
    public int FirstIndex { get; init; }

    /// <summary>The chunk's items.</summary>
    public required IReadOnlyList<JsonNode?> Items { get; init; }

    /// <summary>Task results of this chunk in flight at once.</summary>
    public int Lanes { get; init; }

    /// <summary>
    /// How many of the chunk's results may fail before it starts no more: what was left of the task's allowance
    /// (toleratedFailures) when the chunk started. 0 stops at the first failure.
    /// </summary>
    public int ToleratedFailures { get; init; }

    /// <summary>The events raised on the run before this chunk started (see <see cref="RunEventMessage"/>).</summary>
    public IReadOnlyDictionary<string, JsonNode?>? RunEvents { get; init; }

    /// <summary>Retry policy of the task, if any.</summary>
    public Definitions.RetryPolicy? Retry { get; init; }

    /// <summary>Operator repair of the task, if any.</summary>
    public Definitions.RepairPolicy? Repair { get; init; }

    /// <summary>In a rerun, the results of the chunk's items the source run gave, kept instead of run.</summary>
    public IReadOnlyList<Records.TaskResult> Reused { get; init; } = [];
}
