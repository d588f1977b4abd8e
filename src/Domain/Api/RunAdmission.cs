using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Starts;
using Microsoft.Extensions.Options;

namespace DurablePipelines.Api;

/// <summary>
/// Admits a run: plans it (run id, input checks), claims its id in the run store (atomic, so concurrent
/// starts with one id make one run; the claim keeps the run as admitted in the same write), then schedules it. With <c>multilaunch</c>, a start whose id is held by
/// an active run gets a fresh id derived from it instead of a refusal.
/// </summary>
internal sealed class RunAdmission(RunStartPlanner planner, IRunStore store, IRunScheduler scheduler, IOptions<PipelineOptions> options)
{
    private const int MultilaunchTries = 5;

    /// <summary>
    /// Plans the run from the start alone, without I/O: what fails here fails the same way every time. Throws
    /// <see cref="Validation.PipelineValidationException"/> for invalid input.
    /// </summary>
    public RunPipelineInput Plan(PipelineDefinition definition, JsonNode? input, string? runId) =>
        planner.Plan(definition, input, runId, scheduler.RunnerName, options.Value.ToSettings());

    /// <summary>Claims the planned run's id and schedules it, or says which active run holds the id.</summary>
    public async Task<Admission> AdmitAsync(PipelineDefinition definition, RunPipelineInput run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        for (var attempt = 0; ; attempt++)
        {
            var claim = await store.TryCreateAsync(RunRecords.Pending(run), run, cancellationToken);
            if (claim.Created)
            {
                break;
            }

            if (!definition.Multilaunch || attempt >= MultilaunchTries)
            {
                return new Admission(null, claim.Active);
            }

            var suffix = planner.NewRunId("x")[^8..];
            var baseId = run.RunId.Length > 90 ? run.RunId[..90] : run.RunId;
            run = run with { RunId = $"{baseId}-{suffix}" };
        }

        try
        {
            await scheduler.ScheduleAsync(run, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await store.SaveAsync(RunRecords.Pending(run) with
            {
                Status = RunStatus.Failed,
                FinishedAt = run.CreatedAt,
                Error = new TaskError(ex.GetType().FullName ?? ex.GetType().Name, $"the run could not be scheduled: {ex.Message}"),
            }, CancellationToken.None);
            throw;
        }

        return new Admission(run, null);
    }

    /// <summary>The admitted run, or the active run that holds its id.</summary>
    internal sealed record Admission(RunPipelineInput? Run, PipelineExecution? Conflict);
}
