using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Iterators;
using DurablePipelines.Orchestration;
using DurablePipelines.Validation;

namespace DurablePipelines.Starts;

/// <summary>
/// Turns a start request into the orchestration input, or refuses it with every reason before anything runs:
/// the run id (given, derived by <c>runIdFrom</c>, or generated) and the input (iterators that read the
/// input must find arrays there).
/// </summary>
public sealed class RunStartPlanner(TimeProvider time)
{
    /// <summary>Plans a start; throws <see cref="PipelineValidationException"/> with every error when refused.</summary>
    public RunPipelineInput Plan(PipelineDefinition definition, JsonNode? input, string? runId, string runner, OrchestrationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(definition);
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

    /// <summary>A new, unique, time-ordered run id: <c>{pipeline}-{yyyyMMddHHmmss}-{8 hex}</c>.</summary>
    public string NewRunId(string pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var prefix = pipeline.Length > 60 ? pipeline[..60] : pipeline;
        return $"{prefix}-{stamp}-{Guid.NewGuid().ToString("N")[..8]}";
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
