using System.Text.Json.Nodes;
using DurablePipelines.Api;
using DurablePipelines.Definitions;
using DurablePipelines.Iterators;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Validation;

namespace DurablePipelines.Starts;

/// <summary>
/// The one place a run starts, whoever asks (HTTP, the queue, <c>dp run</c>). <see cref="Plan"/> turns a start into
/// the orchestration input or refuses it with every reason before anything runs: the run id (given, derived by
/// <c>runIdFrom</c>, or generated) and the input (iterators that read the input must find arrays there).
/// <see cref="AdmitAsync"/> then claims the run's id in the run store (atomic, so concurrent starts of one id make one
/// run; the claim keeps the run as admitted in the same write) and schedules it, pinning it for a rerun meanwhile. With <c>multilaunch</c>, a start whose
/// id is held by an active run gets a fresh id derived from it instead of a refusal.
/// </summary>
public sealed class RunStarter(TimeProvider time)
{
    private const int MultilaunchTries = 5;

    /// <summary>Plans a start; throws <see cref="PipelineValidationException"/> with every error when refused.</summary>
    public RunPipelineInput Plan(PipelineDefinition definition, JsonNode? input, string? runId, string runner, OrchestrationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(settings);

        // The settings are the host's, not the caller's: a bad one is the host's bug, never a refused start.
        settings.ThrowIfInvalid(nameof(settings));
        var errors = new List<ValidationError>();
        string? id = runId;
        if (runId is not null)
        {
            if (!RunIdTemplate.IsValidRunId(runId))
            {
                errors.Add(new ValidationError("$.runId", ValidationCodes.Input, $"'{runId}' is not a valid run id ({RunIdTemplate.RunIdRule})"));
            }
        }
        else if (definition.RunIdFrom is { } template)
        {
            id = RunIdTemplate.Render(template, input, out var problem);
            if (problem is not null)
            {
                errors.Add(new ValidationError("$.input", ValidationCodes.Input, problem));
            }
        }

        CheckInputIterator(definition.Iterator, "pipeline iterator", input, errors);
        foreach (var task in definition.Tasks)
        {
            CheckInputIterator(task.Iterator, $"iterator of task '{task.Name}'", input, errors);
        }

        if (errors.Count > 0)
        {
            throw new PipelineValidationException(errors);
        }

        return new RunPipelineInput
        {
            RunId = id ?? NewRunId(definition.Name),
            Definition = definition,
            Input = input?.DeepClone(),
            Runner = runner,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            Settings = settings,
        };
    }

    /// <summary>
    /// Plans a rerun of <paramref name="source"/> (a finished run): the definition and input it ran with
    /// (<paramref name="pinned"/>, from <see cref="IRunStore.GetPinnedAsync"/>), the results it may reuse, and a run id,
    /// <paramref name="runId"/> or generated. <c>runIdFrom</c> is not used: over the same input it gives the source's
    /// own id, and the rerun would replace the run it continues. Throws <see cref="PipelineValidationException"/> for an
    /// invalid run id.
    /// </summary>
    public RunPipelineInput PlanRerun(PipelineExecution source, RunPipelineInput pinned, string? runId, string runner, OrchestrationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(pinned);
        return Plan(pinned.Definition, pinned.Input, runId ?? NewRunId(pinned.Definition.Name), runner, settings) with { Rerun = Rerun.Of(source) };
    }

    /// <summary>A new, unique, time-ordered run id: <c>{pipeline}-{yyyyMMddHHmmss}-{8 hex}</c>.</summary>
    public string NewRunId(string pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var prefix = pipeline.Length > 60 ? pipeline[..60] : pipeline;
        return $"{prefix}-{stamp}-{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>
    /// Claims the planned run's id in <paramref name="store"/> and schedules it on <paramref name="scheduler"/>, or
    /// says which active run holds the id. A run that cannot be scheduled is recorded as failed before the error
    /// goes on.
    /// </summary>
    internal async Task<Admission> AdmitAsync(PipelineDefinition definition, RunPipelineInput run, IRunStore store, IRunScheduler scheduler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(scheduler);
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

            var suffix = NewRunId("x")[^8..];
            var baseId = run.RunId.Length > 90 ? run.RunId[..90] : run.RunId;
            run = run with { RunId = $"{baseId}-{suffix}" };
        }

        // The run is kept for a rerun while it is scheduled: a start waits for the longer of the two, not for both.
        var pin = store.PinAsync(run, CancellationToken.None);
        try
        {
            await scheduler.ScheduleAsync(run, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await ObserveAsync(pin);
            await store.SaveAsync(RunRecords.Pending(run) with
            {
                Status = RunStatus.Failed,
                FinishedAt = run.CreatedAt,
                Error = new TaskError(ex.GetType().FullName ?? ex.GetType().Name, $"the run could not be scheduled: {ex.Message}"),
            }, CancellationToken.None);
            throw;
        }
        catch (OperationCanceledException)
        {
            await ObserveAsync(pin);
            throw;
        }

        // The run is scheduled: a pin that failed does not unmake it, and the caller says the run cannot be rerun.
        return new Admission(run, null, await ObserveAsync(pin));
    }

    private static async Task<Exception?> ObserveAsync(Task pin)
    {
        try
        {
            await pin;
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ex;
        }
    }

    private static void CheckInputIterator(IteratorDefinition? iterator, string what, JsonNode? input, List<ValidationError> errors)
    {
        if (iterator?.Path is not { } text || !IteratorPath.TryParse(text, out var path, out _) || path!.Root != IteratorRoot.Input)
        {
            return;
        }

        var found = path.Evaluate(new JsonObject { ["input"] = input?.DeepClone() });
        if (found.Error is { } error)
        {
            errors.Add(new ValidationError("$.input", ValidationCodes.Input, $"{what}: {error}"));
        }
    }
}

/// <summary>
/// The admitted run, or the active run that holds its id; <paramref name="Unpinned"/> is why an admitted run was not
/// kept for a rerun (<see cref="IRunStore.PinAsync"/>), when it was not.
/// </summary>
internal sealed record Admission(RunPipelineInput? Run, PipelineExecution? Conflict, Exception? Unpinned = null);
