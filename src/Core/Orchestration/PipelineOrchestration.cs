using System.Text.Json.Nodes;
using DurablePipelines.Iterators;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>
/// The one orchestration algorithm, written against <see cref="IOrchestrationContext"/>. Hosts register
/// these three entry points under <see cref="OrchestratorNames"/>; each is deterministic: the calls it makes
/// and their keys depend only on its input and on the results it is given.
/// </summary>
public static class PipelineOrchestration
{
    /// <summary>
    /// <see cref="OrchestratorNames.RunPipeline"/>: one run. Without a pipeline iterator the single pipeline
    /// result runs here; with one, every item runs as its own sub-orchestration, isolated from the others.
    /// </summary>
    public static async Task<PipelineExecution> RunPipelineAsync(IOrchestrationContext context, RunPipelineInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);

        // Settings arrive with the input, from the store or the engine's history: a bad one fails the run before it starts.
        input.Settings.ThrowIfInvalid(nameof(input));
        var definition = input.Definition;
        var startedAt = context.CurrentUtcDateTime;
        DateTime? deadline = definition.Ttl is { } ttl ? input.CreatedAt + ttl : null;
        using var signal = new StopSignal(context, deadline);
        Report(context, input.RunId, StateAction.Started, RunStatus.Running, null);

        IReadOnlyList<PipelineResult> results;
        TaskError? error = null;
        if (definition.Iterator is null)
        {
            var shared = await ShareInputAsync(context, input);
            results = [await PipelineItemOrchestration.RunAsync(context, ItemInput(input, shared, 0, null, deadline), signal)];
        }
        else
        {
            var items = await ResolvePipelineItemsAsync(context, input);
            if (items.Items is null)
            {
                error = new TaskError(TaskErrorTypes.IteratorFailed, items.Error ?? "the pipeline iterator gave no items");
                results = [];
            }
            else
            {
                var shared = await ShareInputAsync(context, input);
                results = await Task.WhenAll(items.Items.Select((item, i) => RunItemAsync(context, signal, ItemInput(input, shared, i, item, deadline))));
            }
        }

        // A ttl that expired while the last results were failing because of it counts as the ttl, whichever
        // of the timer and those results was seen first.
        if (deadline is { } d && context.CurrentUtcDateTime >= d)
        {
            signal.Stop(StopReason.Ttl);
        }

        var status = signal.Reason switch
        {
            StopReason.Cancelled => RunStatus.Terminated,
            StopReason.Ttl => RunStatus.Cancelled,
            _ when error is not null => RunStatus.Failed,
            _ when results.Any(r => r.Status == RunStatus.Failed) => RunStatus.Failed,
            _ when results.Any(r => r.Status != RunStatus.Succeeded) => RunStatus.Cancelled,
            _ => RunStatus.Succeeded,
        };
        error ??= signal.Reason switch
        {
            StopReason.Cancelled => new TaskError(TaskErrorTypes.Cancelled, "the run was cancelled"),
            StopReason.Ttl => new TaskError(TaskErrorTypes.Cancelled, $"the run's ttl of {definition.Ttl} expired"),
            _ => null,
        };
        Report(context, input.RunId, status.FinishedAction(), status, error);
        return new PipelineExecution
        {
            RunId = input.RunId,
            Pipeline = definition.Name,
            Version = definition.Version,
            Runner = input.Runner,
            Status = status,
            CreatedAt = input.CreatedAt,
            StartedAt = startedAt,
            FinishedAt = context.CurrentUtcDateTime,
            Input = input.Input,
            Error = error,
            Metadata = definition.Metadata,
            PipelineResults = results,
        };
    }

    /// <summary><see cref="OrchestratorNames.RunPipelineItem"/>: one pipeline-iterator item.</summary>
    public static async Task<PipelineResult> RunPipelineItemAsync(IOrchestrationContext context, PipelineItemInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        using var signal = new StopSignal(context, input.Deadline);
        return await PipelineItemOrchestration.RunAsync(context, input, signal);
    }

    /// <summary><see cref="OrchestratorNames.RunTaskChunk"/>: a slice of a large task iterator.</summary>
    public static async Task<TaskChunkOutput> RunTaskChunkAsync(IOrchestrationContext context, TaskChunkInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        using var signal = new StopSignal(context, input.Template.Deadline, watchesStop: true);
        var progress = new ProgressTracker(context);
        progress.AddTasks(1);
        progress.TaskChanged(input.Template.Task, RunStatus.Pending, RunStatus.Running);
        progress.AddResults(input.Items.Count);
        var runner = new TaskResultRunner(context, input.Template, input.Retry, signal, progress);
        var results = await runner.RunAsync(
            input.Items,
            input.FirstIndex,
            Math.Min(input.Lanes, context.MaxConcurrentActivities),
            () => signal.Stopped || signal.ParentStopReason is not null);
        var reason = runner.Failed ? TaskResultRunner.AnotherResultFailed : signal.ParentStopReason ?? "not started: the run was stopped";
        var output = results
            .Select((r, i) => r ?? TaskResultRunner.NotStarted(input.FirstIndex + i, input.Items[i], reason))
            .ToList();
        progress.TaskChanged(input.Template.Task, RunStatus.Running, runner.Failed ? RunStatus.Failed : RunStatus.Succeeded);
        progress.Status = runner.Failed ? RunStatus.Failed : RunStatus.Succeeded;
        progress.Publish();
        return new TaskChunkOutput(output);
    }

    private static async Task<PipelineResult> RunItemAsync(IOrchestrationContext context, StopSignal signal, PipelineItemInput item)
    {
        var instanceId = ActivityKeys.PipelineItemInstance(item.RunId, item.Index);
        using (signal.Track(instanceId))
        {
            return await context.CallSubOrchestratorAsync<PipelineResult>(OrchestratorNames.RunPipelineItem, instanceId, item);
        }
    }

    private static async Task<IteratorEvaluation> ResolvePipelineItemsAsync(IOrchestrationContext context, RunPipelineInput input)
    {
        var iterator = input.Definition.Iterator!;
        var data = new JsonObject { ["input"] = input.Input?.DeepClone(), ["item"] = null, ["parents"] = new JsonObject() };
        if (iterator.Path is not null)
        {
            if (!IteratorPath.TryParse(iterator.Path, out var path, out var error))
            {
                return IteratorEvaluation.Failed(error!);
            }

            var local = path!.Evaluate(data);
            if (!local.RequiresPayload)
            {
                return local;
            }
        }

        var outcome = await context.CallActivityAsync<IteratorOutcome>(ActivityNames.ResolveIterator, new IteratorRequest
        {
            RunId = input.RunId,
            Pipeline = input.Definition.Name,
            PipelineResult = -1,
            Path = iterator.Path,
            Handler = iterator.Handler,
            Config = iterator.Config,
            Context = data,
        });
        return outcome.Items is { } items ? IteratorEvaluation.Found(items) : IteratorEvaluation.Failed(outcome.Error?.Message ?? "the pipeline iterator gave no items");
    }

    /// <summary>
    /// The run input as every task's context carries it: the input itself, or, over the inline limit, a reference to
    /// it stored once for the whole run. Otherwise each task's context would be over the limit and stored on its own,
    /// and each pipeline result's input would copy it into the history.
    /// </summary>
    private static async Task<JsonNode?> ShareInputAsync(IOrchestrationContext context, RunPipelineInput input) =>
        input.Input is { } value
            ? await PayloadOffloader.MaybeStoreAsync(context, input.RunId, "input", value, input.Settings.InlinePayloadLimit)
            : null;

    private static PipelineItemInput ItemInput(RunPipelineInput input, JsonNode? shared, int index, JsonNode? item, DateTime? deadline) => new()
    {
        RunId = input.RunId,
        Definition = input.Definition,
        Input = shared,
        Index = index,
        Item = item,
        Deadline = deadline,
        Settings = input.Settings,
    };

    private static void Report(IOrchestrationContext context, string runId, StateAction action, RunStatus status, TaskError? error) =>
        context.ReportStateChange(new StateChange
        {
            Time = context.CurrentUtcDateTime,
            RunId = runId,
            Action = action,
            Status = status,
            Error = error,
        });
}
