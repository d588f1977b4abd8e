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
        input.Settings.ThrowIfInvalid(nameof(input));
        var definition = input.Definition;
        var startedAt = context.CurrentUtcDateTime;
        DateTime? deadline = definition.Ttl is { } ttl ? input.CreatedAt + ttl : null;
        using var signal = new StopSignal(context, input.RunId, deadline, knownEvents: input.RunEvents);
        var limit = new ActivityLimit(context.MaxConcurrentActivities);
        var operatorActions = new List<OperatorAction>();
        signal.SuspensionChanged += suspended =>
        {
            var action = suspended ? StateAction.Suspended : StateAction.Resumed;
            operatorActions.Add(new OperatorAction(action, context.CurrentUtcDateTime));
            Report(context, input.RunId, action, suspended ? RunStatus.Suspended : RunStatus.Running, null);
        };
        if (definition.Iterator is not null)
        {
            // The pipeline results publish their own progress; this instance shows the run's suspension, from the start.
            new ProgressTracker(context).Follow(signal);
        }

        Report(context, input.RunId, StateAction.Started, RunStatus.Running, null);

        IReadOnlyList<PipelineResult> results;
        TaskError? error = null;
        if (definition.Iterator is null)
        {
            results = [KeptWhole(context, input, 0, null) ?? await PipelineItemOrchestration.RunAsync(context, ItemInput(input, await ShareInputAsync(context, limit, input), 0, null, deadline), signal, limit)];
        }
        else
        {
            var items = await ResolvePipelineItemsAsync(context, limit, input);
            if (items.Items is null)
            {
                error = new TaskError(TaskErrorTypes.IteratorFailed, items.Error ?? "the pipeline iterator gave no items");
                results = [];
            }
            else
            {
                var kept = items.Items.Select((item, i) => KeptWhole(context, input, i, item)).ToArray();
                var shared = kept.All(k => k is not null) ? null : await ShareInputAsync(context, limit, input);
                var count = items.Items.Count;
                results = await Task.WhenAll(items.Items.Select((item, i) => kept[i] is { } k
                    ? Task.FromResult(k)
                    : RunItemAsync(context, limit, signal, ItemInput(input, shared, i, item, deadline), ShareOf(limit, i, count))));
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
            OperatorActions = operatorActions,
            RerunOf = input.Rerun?.SourceRunId,
            PipelineResults = results,
        };
    }

    /// <summary><see cref="OrchestratorNames.RunPipelineItem"/>: one pipeline-iterator item.</summary>
    public static async Task<PipelineResult> RunPipelineItemAsync(IOrchestrationContext context, PipelineItemInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        using var signal = new StopSignal(context, input.RunId, input.Deadline, knownEvents: input.RunEvents);
        var limit = new ActivityLimit(Math.Min(context.MaxConcurrentActivities, input.MaxConcurrentActivities ?? int.MaxValue));
        return await PipelineItemOrchestration.RunAsync(context, input, signal, limit);
    }

    /// <summary><see cref="OrchestratorNames.RunTaskChunk"/>: a slice of a large task iterator.</summary>
    public static async Task<TaskChunkOutput> RunTaskChunkAsync(IOrchestrationContext context, TaskChunkInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        using var signal = new StopSignal(context, input.Template.RunId, input.Template.Deadline, watchesStop: true, knownEvents: input.RunEvents);
        var limit = new ActivityLimit(Math.Max(1, Math.Min(input.Lanes, context.MaxConcurrentActivities)));
        var progress = new ProgressTracker(context);
        progress.AddTasks(1);
        progress.TaskChanged(input.Template.Task, RunStatus.Pending, RunStatus.Running);
        progress.AddResults(input.Items.Count);
        progress.Follow(signal);
        var attempts = new TaskResultAttempts(context, limit, input.Template, input.Retry, input.Repair, signal, progress);
        var runner = new TaskResultRunner(attempts, limit, signal, progress, () => signal.ParentStopReason ?? (signal.Stopped ? "not started: the run was stopped" : null), input.ToleratedFailures);
        var results = await runner.RunAsync(input.Items, input.FirstIndex, limit.Capacity, RerunReuse.Match(input.Items, input.FirstIndex, input.Reused));
        var status = results.Count(r => r.Status == RunStatus.Failed) > input.ToleratedFailures ? RunStatus.Failed : RunStatus.Succeeded;
        progress.TaskChanged(input.Template.Task, RunStatus.Running, status);
        progress.Status = status;
        progress.Publish();
        return new TaskChunkOutput(results);
    }

    /// <summary>
    /// Runs one pipeline result as a sub-orchestration of its own, with <paramref name="share"/> of the run's slots
    /// (as many as are free when fewer are): within them it keeps its own calls in flight, and gives them back when
    /// it ends.
    /// </summary>
    private static async Task<PipelineResult> RunItemAsync(IOrchestrationContext context, ActivityLimit limit, StopSignal signal, PipelineItemInput item, int share)
    {
        var slots = await TakeWhenNotSuspendedAsync(limit, signal, share);
        try
        {
            if (signal.Reason == StopReason.Cancelled)
            {
                // Cancelled before this item started (while it waited for slots or for a resume): it never starts, as
                // the cancel, sent to the items running when it came, would not reach it.
                return NotStarted(item, "not started: the run was cancelled", context.CurrentUtcDateTime);
            }

            var instanceId = ActivityKeys.PipelineItemInstance(item.RunId, item.Index);
            using (signal.Track(instanceId))
            {
                var input = (limit.Unbounded ? item : item with { MaxConcurrentActivities = slots }) with { RunEvents = signal.Events.Snapshot };
                return await context.CallSubOrchestratorAsync<PipelineResult>(OrchestratorNames.RunPipelineItem, instanceId, input);
            }
        }
        finally
        {
            limit.Release(slots);
        }
    }

    /// <summary>Takes <paramref name="wanted"/> of the run's slots (or as many as are free) once the run is not suspended.</summary>
    private static async Task<int> TakeWhenNotSuspendedAsync(ActivityLimit limit, StopSignal signal, int wanted)
    {
        while (true)
        {
            await signal.WhileSuspendedAsync();
            var slots = await limit.TakeAsync(wanted);
            if (!signal.Suspended)
            {
                return slots;
            }

            limit.Release(slots);
        }
    }

    /// <summary>The record of a pipeline result that never started: every task Cancelled with <paramref name="reason"/>.</summary>
    private static PipelineResult NotStarted(PipelineItemInput item, string reason, DateTime now) => new()
    {
        Index = item.Index,
        Item = item.Item,
        Status = RunStatus.Cancelled,
        FinishedAt = now,
        TaskExecutions = [.. item.Definition.Tasks.Select(t => new TaskExecution
        {
            Task = t.Name,
            Status = RunStatus.Cancelled,
            Metadata = t.Metadata,
            Error = TaskExecutions.Cancelled(reason),
        })],
    };

    /// <summary>
    /// Item <paramref name="index"/>'s share of <paramref name="limit"/>: the slots split evenly between the
    /// <paramref name="count"/> items, the first ones taking the remainder, one at least. Items then start together
    /// while there are slots for them, and none of their calls waits behind another item's.
    /// </summary>
    private static int ShareOf(ActivityLimit limit, int index, int count) =>
        limit.Unbounded ? int.MaxValue : Math.Max(1, (limit.Capacity / count) + (index < limit.Capacity % count ? 1 : 0));

    private static Task<IteratorEvaluation> ResolvePipelineItemsAsync(IOrchestrationContext context, ActivityLimit limit, RunPipelineInput input)
    {
        var iterator = input.Definition.Iterator!;
        var data = new JsonObject { ["input"] = input.Input?.DeepClone(), ["item"] = null, ["parents"] = new JsonObject() };
        return IteratorItems.ResolveAsync(context, limit, data, new IteratorRequest
        {
            RunId = input.RunId,
            Pipeline = input.Definition.Name,
            PipelineResult = -1,
            Path = iterator.Path,
            Handler = iterator.Handler,
            Config = iterator.Config,
            Context = data,
        }, "the pipeline iterator gave no items");
    }

    /// <summary>
    /// The run input as every task's context carries it: the input itself, or, over the inline limit, a reference to
    /// it stored once for the whole run. Otherwise each task's context would be over the limit and stored on its own,
    /// and each pipeline result's input would copy it into the history.
    /// </summary>
    private static async Task<JsonNode?> ShareInputAsync(IOrchestrationContext context, ActivityLimit limit, RunPipelineInput input) =>
        input.Input is { } value
            ? await PayloadOffloader.MaybeStoreAsync(context, limit, input.RunId, "input", value, input.Settings.InlinePayloadLimit)
            : null;

    /// <summary>
    /// In a rerun, the source's pipeline result <paramref name="index"/> when it succeeded whole with an equal item: it
    /// is kept as recorded, reported reused, and never runs. Null when it must run.
    /// </summary>
    private static PipelineResult? KeptWhole(IOrchestrationContext context, RunPipelineInput input, int index, JsonNode? item)
    {
        if (RerunReuse.Source(input.Rerun, index, item) is not { } source || !RerunReuse.SucceededWhole(source))
        {
            return null;
        }

        RerunReuse.ReportWhole(context, input.RunId, source);
        return source;
    }

    private static PipelineItemInput ItemInput(RunPipelineInput input, JsonNode? shared, int index, JsonNode? item, DateTime? deadline) => new()
    {
        RunId = input.RunId,
        Definition = input.Definition,
        Input = shared,
        Index = index,
        Item = item,
        Deadline = deadline,
        Settings = input.Settings,
        Reuse = RerunReuse.Source(input.Rerun, index, item),
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
