using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>
/// What a rerun (<c>POST /api/runs/{runId}/rerun</c>) continues from: the source run's id and its pipeline results as
/// recorded, every succeeded task result marked with the run that gave it. The orchestration reuses what succeeded
/// there (docs/rules.md, Rerun) and runs the rest.
/// </summary>
public sealed record Rerun
{
    /// <summary>The run this run reruns.</summary>
    public required string SourceRunId { get; init; }

    /// <summary>The source run's pipeline results, in index order, succeeded task results marked <see cref="TaskResult.ReusedFrom"/>.</summary>
    public IReadOnlyList<PipelineResult> PipelineResults { get; init; } = [];

    /// <summary>
    /// A rerun of <paramref name="source"/>: each succeeded task result is marked as given by the run where its
    /// handler ran (the source, or the run the source reused it from, so a rerun of a rerun names where it ran).
    /// </summary>
    public static Rerun Of(PipelineExecution source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new Rerun
        {
            SourceRunId = source.RunId,
            PipelineResults = [.. source.PipelineResults.Select(p => p with
            {
                TaskExecutions = [.. p.TaskExecutions.Select(t => t with
                {
                    TaskResults = [.. t.TaskResults.Select(r => r.Status == RunStatus.Succeeded ? r with { ReusedFrom = r.ReusedFrom ?? source.RunId } : r)],
                })],
            })],
        };
    }
}
