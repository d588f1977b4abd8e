using System.Text.Json.Nodes;
using DurablePipelines.Definitions;

namespace DurablePipelines.Orchestration;

/// <summary>Input of the <see cref="OrchestratorNames.RunPipeline"/> orchestration: everything a run needs, pinned at start.</summary>
public sealed record RunPipelineInput
{
    /// <summary>The run id, also the orchestration's instance id.</summary>
    public required string RunId { get; init; }

    /// <summary>The definition as it was when the run started.</summary>
    public required PipelineDefinition Definition { get; init; }

    /// <summary>The run input.</summary>
    public JsonNode? Input { get; init; }

    /// <summary>The runner's name, for the record.</summary>
    public string Runner { get; init; } = string.Empty;

    /// <summary>When the start was accepted; the ttl counts from here.</summary>
    public DateTime CreatedAt { get; init; }

    /// <summary>
    /// Events raised on the run before it starts (<c>dp run --event</c>): kept for its <c>wait</c> results as events
    /// raised later are (see <see cref="RunEventMessage"/>).
    /// </summary>
    public IReadOnlyDictionary<string, JsonNode?>? RunEvents { get; init; }

    /// <summary>The algorithm's knobs.</summary>
    public OrchestrationSettings Settings { get; init; } = new();

    /// <summary>When this run reruns an earlier one: that run and the results it may reuse; otherwise null.</summary>
    public Rerun? Rerun { get; init; }
}
