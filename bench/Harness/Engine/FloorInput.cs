using System.Text.Json.Nodes;
using DurablePipelines.Orchestration;

namespace DurablePipelines.Bench.Harness.Engine;

/// <summary>Input of the hand-written floor orchestrators: how many no-op task results to run, under which run id.</summary>
internal sealed record FloorInput
{
    public required string RunId { get; init; }

    public required int Count { get; init; }

    /// <summary>The first item's index (a chunk's offset).</summary>
    public int First { get; init; }

    /// <summary>When set and smaller than <see cref="Count"/>: run the items in sub-orchestrations of this many.</summary>
    public int? ChunkSize { get; init; }

    /// <summary>
    /// When set: at most this many calls in flight, a new one starting as one finishes (a task's
    /// <c>maxConcurrency</c>, written by hand). Chunks then run one after another, as the engine runs them for a task
    /// whose <c>maxConcurrency</c> is at most the chunk size.
    /// </summary>
    public int? Window { get; init; }

    /// <summary>The request the pipeline engine would make for item <paramref name="index"/> of a no-op task.</summary>
    public TaskResultRequest Request(int index) => new()
    {
        RunId = RunId,
        Pipeline = "bench-floor",
        Task = NoOpTask.Name,
        Handler = NoOpTask.Name,
        TaskResult = First + index,
        TaskItem = JsonValue.Create(First + index),
    };
}
