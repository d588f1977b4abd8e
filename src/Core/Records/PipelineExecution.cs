using System.Text.Json.Nodes;

namespace DurablePipelines.Records;

/// <summary>The record of one run (docs/api.md, The run record): what the HTTP API, the CLI and the run store show.</summary>
public sealed record PipelineExecution
{
    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>The pipeline's name.</summary>
    public required string Pipeline { get; init; }

    /// <summary>The pipeline's version.</summary>
    public string Version { get; init; } = "1";

    /// <summary>The runner that executed it: <c>eager</c>, <c>parallel</c>, <c>durable</c> or a custom name.</summary>
    public string Runner { get; init; } = string.Empty;

    /// <summary>Overall status.</summary>
    public RunStatus Status { get; init; }

    /// <summary>When the start was accepted.</summary>
    public DateTime CreatedAt { get; init; }

    /// <summary>When the orchestration started.</summary>
    public DateTime? StartedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTime? FinishedAt { get; init; }

    /// <summary>The run input.</summary>
    public JsonNode? Input { get; init; }

    /// <summary>Why the run as a whole failed or was cancelled (iterator error, ttl, cancel).</summary>
    public TaskError? Error { get; init; }

    /// <summary>The pipeline's metadata, untouched.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>What operators did to the run while it ran (suspend, resume), in order.</summary>
    public IReadOnlyList<OperatorAction> OperatorActions { get; init; } = [];

    /// <summary>The run this run reruns (<c>POST /api/runs/{runId}/rerun</c>), or null.</summary>
    public string? RerunOf { get; init; }

    /// <summary>One per pipeline-iterator item, in index order.</summary>
    public IReadOnlyList<PipelineResult> PipelineResults { get; init; } = [];
}
