using System.Globalization;

namespace DurablePipelines.Orchestration;

/// <summary>Stable keys of activity calls and sub-orchestration instance ids.</summary>
public static class ActivityKeys
{
    /// <summary><c>{run}/{pipelineResult}/{task}/{taskResult}/{attempt}</c>.</summary>
    public static string TaskResult(string runId, int pipelineResult, string task, int taskResult, int attempt) =>
        string.Create(CultureInfo.InvariantCulture, $"{runId}/{pipelineResult}/{task}/{taskResult}/{attempt}");

    /// <summary><c>{run}/{pipelineResult}/{task}/iterator</c>; the pipeline iterator is <c>{run}/-1/iterator</c>.</summary>
    public static string Iterator(string runId, int pipelineResult, string? task) =>
        task is null
            ? string.Create(CultureInfo.InvariantCulture, $"{runId}/{pipelineResult}/iterator")
            : string.Create(CultureInfo.InvariantCulture, $"{runId}/{pipelineResult}/{task}/iterator");

    /// <summary><c>{run}/payload/{name}</c>.</summary>
    public static string Payload(string runId, string name) => $"{runId}/payload/{name}";

    /// <summary>Instance id of a pipeline item's sub-orchestration.</summary>
    public static string PipelineItemInstance(string runId, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{runId}:p{index}");

    /// <summary>Instance id of a task chunk's sub-orchestration.</summary>
    public static string ChunkInstance(string runId, int pipelineResult, string task, int chunk) =>
        string.Create(CultureInfo.InvariantCulture, $"{runId}:p{pipelineResult}:{task}:c{chunk}");
}
