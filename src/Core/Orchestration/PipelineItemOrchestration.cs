using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Graph;
using DurablePipelines.Iterators;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>
/// Walks the DAG of one pipeline result: each task starts as soon as its own parents have succeeded (no
/// layer barrier), fans out one activity per iterator item, fans in before its children, and on failure
/// cancels only its descendants (or, with <c>failFast</c>, everything not started).
/// </summary>
internal sealed class PipelineItemOrchestration
{
    // A task without an iterator has exactly one task result, with no item.
    private static readonly IteratorEvaluation s_oneResult = IteratorEvaluation.Found([null]);

    private readonly IOrchestrationContext _context;
    private readonly PipelineItemInput _input;
    private readonly StopSignal _signal;
    private readonly TaskGraph _graph;
    private readonly TaskExecutionState[] _tasks;
    private readonly ProgressTracker _progress;
    private readonly TaskStarts _starts;
    private readonly Func<bool> _stopRequested;
    private bool _failFastStopped;

    // The item as tasks' contexts carry it: the item itself, or a reference to it when it is large.
    private JsonNode? _item;

    private PipelineItemOrchestration(IOrchestrationContext context, PipelineItemInput input, StopSignal signal)
    {
        _context = context;
        _input = input;
        _signal = signal;
        _graph = TaskGraph.Create(input.Definition);
        _tasks = [.. input.Definition.Tasks.Select((t, i) => new TaskExecutionState(t, i))];
        _progress = new ProgressTracker(context);
        _progress.AddTasks(_tasks.Length);
        _starts = new TaskStarts(_graph, RunTaskAsync, context.MaxConcurrentActivities);
        _stopRequested = () => Stopping;
    }

    private PipelineDefinition Definition => _input.Definition;

    private bool Stopping => _failFastStopped || _signal.Stopped;

    /// <summary>Runs one pipeline result to its end and returns its record.</summary>
    public static Task<PipelineResult> RunAsync(IOrchestrationContext context, PipelineItemInput input, StopSignal signal) =>
        new PipelineItemOrchestration(context, input, signal).RunAsync();

    private async Task<PipelineResult> RunAsync()
    {
        var startedAt = _context.CurrentUtcDateTime;
        Report(null, StateAction.Started, RunStatus.Running, null);
        _progress.Publish();

        // A large item is stored once for this pipeline result, as the run stores a large input once: each task's
        // context then carries its reference instead of a copy over the limit to store again. The record keeps the item.
        _item = _input.Item is { } item
            ? await PayloadOffloader.MaybeStoreAsync(_context, _input.RunId, $"{_input.Index}/item", item, _input.Settings.InlinePayloadLimit)
            : null;
        await _starts.RunAllAsync();

        var status = _tasks.Any(t => t.Status == RunStatus.Failed) ? RunStatus.Failed
            : _tasks.Any(t => t.Status == RunStatus.Cancelled) ? RunStatus.Cancelled
            : RunStatus.Succeeded;
        _progress.Status = status;
        _progress.Publish();
        Report(null, status.FinishedAction(), status, null);
        return new PipelineResult
        {
            Index = _input.Index,
            Item = _input.Item,
            Status = status,
            StartedAt = startedAt,
            FinishedAt = _context.CurrentUtcDateTime,
            TaskExecutions = [.. _tasks.Select(t => t.ToRecord())],
        };
    }

    /// <summary>The run of task <paramref name="t"/>, started once the runs of all its parents have ended.</summary>
    private async Task RunTaskAsync(int t)
    {
        Exception? endedBy = null;
        try
        {
            _starts.ThrowIfAParentThrew(t);
            var parents = _graph.Parents[t];
            var state = _tasks[t];
            var blocker = FirstNotSucceeded(parents);
            if (blocker is not null)
            {
                Finish(state, RunStatus.Cancelled, Cancelled($"not started: parent '{blocker.Definition.Name}' {blocker.Status.ToString().ToLowerInvariant()}"));
                return;
            }

            if (Stopping)
            {
                Finish(state, RunStatus.Cancelled, Cancelled(StopMessage()));
                return;
            }

            var context = BuildContext(parents);
            var large = PayloadOffloader.IsLarge(context, _input.Settings.InlinePayloadLimit);
            if (large || state.Definition.Iterator is not null)
            {
                // An activity runs before the first result starts: show the task running meanwhile.
                Start(state);
                _progress.Publish();
            }

            var shared = large ? await PayloadOffloader.StoreAsync(_context, _input.RunId, $"{_input.Index}/{state.Definition.Name}/context", context) : context;
            var items = state.Definition.Iterator is null ? s_oneResult : await ResolveItemsAsync(state.Definition, context, shared);
            if (items.Error is not null)
            {
                Finish(state, RunStatus.Failed, new TaskError(TaskErrorTypes.IteratorFailed, items.Error));
                _progress.Failure($"{state.Definition.Name}: {items.Error}");
                return;
            }

            var list = items.Items!;
            state.Results = new TaskResult[list.Count];
            _progress.AddResults(list.Count);
            var template = Template(state.Definition, shared);
            var results = list.Count > _input.Settings.ChunkSize
                ? await RunChunksAsync(state, template, list)
                : await new TaskResultRunner(_context, template, state.Definition.Retry, _signal, _progress)
                    .RunAsync(list, 0, Lanes(state.Definition, list.Count), _stopRequested, () => Start(state));
            Finish(state, list, results);
        }
        catch (Exception e)
        {
            // Not handled: TaskStarts ends the task's children with it and RunAllAsync throws it, failing the run.
            endedBy = e;
        }
        finally
        {
            _starts.Ended(t, endedBy);
        }
    }

    /// <summary>
    /// Marks the task running, once. A task whose only work is its result starts when that result does: the
    /// runner may hold a result back until then (rule 6), and a task none of whose work started never started.
    /// </summary>
    private void Start(TaskExecutionState state)
    {
        if (state.Status != RunStatus.Pending)
        {
            return;
        }

        state.Status = RunStatus.Running;
        state.StartedAt = _context.CurrentUtcDateTime;
        _starts.Begun(state.Index);
        _progress.TaskChanged(state.Definition.Name, RunStatus.Pending, RunStatus.Running);
        Report(state.Definition.Name, StateAction.Started, RunStatus.Running, null);
    }

    private TaskResultRequest Template(TaskDefinition task, JsonNode shared) => new()
    {
        RunId = _input.RunId,
        Pipeline = Definition.Name,
        PipelineResult = _input.Index,
        Task = task.Name,
        Handler = task.Handler,
        Context = shared,
        Config = task.Config,
        Metadata = task.Metadata,
        Timeout = task.Timeout,
        Deadline = _signal.Deadline,
        InlinePayloadLimit = _input.Settings.InlinePayloadLimit,
    };

    /// <summary>Records the task's results (null ones never started) and ends the task with the status they give.</summary>
    private void Finish(TaskExecutionState state, IReadOnlyList<JsonNode?> items, TaskResult?[] results)
    {
        var anyFailed = false;
        foreach (var r in results)
        {
            anyFailed |= r?.Status == RunStatus.Failed;
        }

        var reason = anyFailed ? TaskResultRunner.AnotherResultFailed : StopMessage();
        var anyCancelled = false;
        for (var i = 0; i < items.Count; i++)
        {
            if (results[i] is { } r)
            {
                state.Results[i] = r;
                anyCancelled |= r.Status == RunStatus.Cancelled;
            }
            else
            {
                state.Results[i] = TaskResultRunner.NotStarted(i, items[i], reason);
                _progress.ResultChanged(RunStatus.Pending, RunStatus.Cancelled);
                anyCancelled = true;
            }
        }

        // A task whose result was held back never started: it ends as one stopped before it started does.
        var neverStarted = state.Status == RunStatus.Pending;
        Finish(state, anyFailed ? RunStatus.Failed : anyCancelled ? RunStatus.Cancelled : RunStatus.Succeeded, neverStarted ? Cancelled(reason) : null);
    }

    private async Task<TaskResult?[]> RunChunksAsync(TaskExecutionState state, TaskResultRequest template, IReadOnlyList<JsonNode?> items)
    {
        var size = _input.Settings.ChunkSize;
        var chunkCount = (items.Count + size - 1) / size;
        var maxConcurrency = state.Definition.MaxConcurrency;
        var chunkLanes = maxConcurrency is { } m ? Math.Max(1, (m + size - 1) / size) : chunkCount;
        var itemLanes = Math.Min(size, Math.Min(maxConcurrency ?? size, _context.MaxConcurrentActivities));
        var results = new TaskResult?[items.Count];
        var running = new List<string>();
        var failed = false;
        var next = 0;

        // Lane k runs its chunks' items at most min(size, m - k * size) at once: the lanes together never run more
        // than the task's maxConcurrency m, however the items split into chunks.
        async Task LaneAsync(int lane)
        {
            var lanesInChunk = maxConcurrency is { } m ? Math.Max(1, Math.Min(itemLanes, m - (lane * size))) : itemLanes;
            while (!failed && !Stopping && next < chunkCount)
            {
                var c = next++;
                var first = c * size;
                var slice = items.Skip(first).Take(size).ToList();
                var instanceId = ActivityKeys.ChunkInstance(_input.RunId, _input.Index, state.Definition.Name, c);
                TaskChunkOutput output;
                using (_signal.Track(instanceId))
                {
                    running.Add(instanceId);
                    try
                    {
                        output = await _context.CallSubOrchestratorAsync<TaskChunkOutput>(
                            OrchestratorNames.RunTaskChunk,
                            instanceId,
                            new TaskChunkInput { Template = template, FirstIndex = first, Items = slice, Lanes = lanesInChunk, Retry = state.Definition.Retry });
                    }
                    finally
                    {
                        running.Remove(instanceId);
                    }
                }

                var failedBefore = failed;
                foreach (var r in output.Results)
                {
                    if (r.Status != RunStatus.Cancelled || r.Attempts > 0)
                    {
                        results[r.Index] = r;
                        _progress.ResultChanged(RunStatus.Pending, r.Status);
                    }

                    failed |= r.Status == RunStatus.Failed;
                }

                if (failed && !failedBefore)
                {
                    // Rule 4: the lanes start no more chunks, and the chunks of this task already running, which
                    // check only their own signal, start no more results. Other tasks' chunks keep running.
                    foreach (var other in running)
                    {
                        _context.SendEvent(other, OrchestrationEvents.Stop, TaskResultRunner.AnotherResultFailed);
                    }
                }

                _progress.Publish();
            }
        }

        var lanes = new Task[Math.Min(chunkLanes, chunkCount)];
        for (var l = 0; l < lanes.Length; l++)
        {
            lanes[l] = LaneAsync(l);
        }

        await Task.WhenAll(lanes);
        return results;
    }

    private TaskExecutionState? FirstNotSucceeded(int[] parents)
    {
        foreach (var p in parents)
        {
            if (_tasks[p].Status != RunStatus.Succeeded)
            {
                return _tasks[p];
            }
        }

        return null;
    }

    private int Lanes(TaskDefinition task, int count) =>
        Math.Min(count, Math.Min(task.MaxConcurrency ?? int.MaxValue, _context.MaxConcurrentActivities));

    private async Task<IteratorEvaluation> ResolveItemsAsync(TaskDefinition task, JsonObject context, JsonNode shared)
    {
        if (task.Iterator is null)
        {
            return IteratorEvaluation.Found([null]);
        }

        if (task.Iterator.Path is { } text)
        {
            if (!IteratorPath.TryParse(text, out var path, out var error))
            {
                return IteratorEvaluation.Failed(error!);
            }

            var local = path!.Evaluate(context);
            if (!local.RequiresPayload)
            {
                return local;
            }
        }

        var outcome = await _context.CallActivityAsync<IteratorOutcome>(ActivityNames.ResolveIterator, new IteratorRequest
        {
            RunId = _input.RunId,
            Pipeline = Definition.Name,
            PipelineResult = _input.Index,
            Task = task.Name,
            Path = task.Iterator.Path,
            Handler = task.Iterator.Handler,
            Config = task.Iterator.Config,
            Context = shared,
        });
        return outcome.Items is { } items ? IteratorEvaluation.Found(items) : IteratorEvaluation.Failed(outcome.Error?.Message ?? "the iterator gave no items");
    }

    private JsonObject BuildContext(int[] parents)
    {
        var outputs = new JsonObject();
        foreach (var p in parents)
        {
            outputs[_tasks[p].Definition.Name] = _tasks[p].Output?.DeepClone();
        }

        return new JsonObject
        {
            ["input"] = _input.Input?.DeepClone(),
            ["item"] = _item?.DeepClone(),
            ["parents"] = outputs,
        };
    }

    private void Finish(TaskExecutionState state, RunStatus status, TaskError? error)
    {
        var from = state.Status;
        state.Status = status;
        state.Error = error;
        state.FinishedAt = _context.CurrentUtcDateTime;
        _progress.TaskChanged(state.Definition.Name, from, status);
        if (status == RunStatus.Failed)
        {
            if (Definition.FailFast && !_failFastStopped)
            {
                // Chunks already running check only their own signal: they are told to start no more results too.
                _failFastStopped = true;
                _signal.StopChildren(StopMessage());
            }

            _progress.Failure($"{state.Definition.Name}: {error?.Message ?? state.Results.FirstOrDefault(r => r.Error is not null)?.Error?.Message}");
        }

        Report(state.Definition.Name, status.FinishedAction(), status, error);
        _progress.Publish();
    }

    private string StopMessage() => _signal.Reason switch
    {
        StopReason.Cancelled => "not started: the run was cancelled",
        StopReason.Ttl => "not started: the run's ttl expired",
        _ => "not started: a task failed and the pipeline is failFast",
    };

    private static TaskError Cancelled(string message) => new(TaskErrorTypes.Cancelled, message);

    private void Report(string? task, StateAction action, RunStatus status, TaskError? error) =>
        _context.ReportStateChange(new StateChange
        {
            Time = _context.CurrentUtcDateTime,
            RunId = _input.RunId,
            PipelineResult = _input.Index,
            Task = task,
            Action = action,
            Status = status,
            Error = error,
            Item = task is null && action == StateAction.Started ? _input.Item : null,
        });
}
