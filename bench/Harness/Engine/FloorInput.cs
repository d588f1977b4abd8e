using System.Text.Json.Nodes;
using DurablePipelines.Orchestration;

namespace DurablePipelines.Bench.Harness.Engine;

/// <summary>Input of the hand-written floor orchestrators: how many no-op task results to run, under which run id.</summary>
internal sealed record FloorInput
{
    public required string RunId { get; init; }

    public required int Count { get; init; }

    /// <summary>The request the pipeline engine would make for item <paramref name="index"/> of a no-op task.</summary>
    public TaskResultRequest Request(int index) => new()
    {
        RunId = RunId,
        Pipeline = "bench-floor",
        Task = NoOpTask.Name,
        Handler = NoOpTask.Name,
        TaskResult = index,
        TaskItem = JsonValue.Create(index),
    };
}
