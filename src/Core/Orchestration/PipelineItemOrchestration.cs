using System.Text.Json.Nodes;
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
    private readonly ActivityLimit _limit;
    private readonly PipelineResultStop _stop;
    private readonly TaskGraph _graph;
    private readonly ProgressTracker _progress;
    private readonly TaskStarts _starts;
    private readonly TaskExecutions _tasks;
    private readonly TaskInputs _inputs;
    private readonly Func<string?> _stopReason;

    // In a rerun, the tasks kept whole from the source run: a task's results are reused only when it sees the
    // parents' outputs it saw there, that is when each of its parents was kept whole.
    private readonly bool[] _keptWhole;

    private PipelineItemOrchestration(IOrchestrationContext context, PipelineItemInput input, StopSignal signal, ActivityLimit limit)
    {
        _context = context;
        _input = input;
        _signal = signal;
        _limit = limit;
        _stop = new PipelineResultStop(signal, input.Definition.FailFast);
        _graph = TaskGraph.Create(input.Definition);
        _progress = new ProgressTracker(context);
        _progress.AddTasks(input.Definition.Tasks.Count);
        _starts = new TaskStarts(_graph, RunTaskAsync, limit.Capacity);
        _tasks = new TaskExecutions(context, input, [.. input.Definition.Tasks.Select((t, i) => new TaskExecutionState(t, i))], _progress, _starts, _stop);
        _inputs = new TaskInputs(input, _tasks, signal.Deadline);
        _stopReason = () => _stop.ReasonIfStopping;
        // A run suspended before this pipeline result began (its input was being stored) shows it from the first publish.
        _progress.Follow(signal);
        _keptWhole = new bool[input.Definition.Tasks.Count];
    }

    /// <summary>Runs one pipeline result to its end, its calls within <paramref name="limit"/>, and returns its record.</summary>
    public static Task<PipelineResult> RunAsync(IOrchestrationContext context, PipelineItemInput input, StopSignal signal, ActivityLimit limit) =>
        new PipelineItemOrchestration(context, input, signal, limit).RunAsync();

    private async Task<PipelineResult> RunAsync()
    {
        var startedAt = _context.CurrentUtcDateTime;
        Report(StateAction.Started, RunStatus.Running);
        _progress.Publish();

        // A large item is stored once for this pipeline result, as the run stores a large input once: each task's
        // context then carries its reference instead of a copy over the limit to store again. The record keeps the item.
        _inputs.Item = _input.Item is { } item
            ? await PayloadOffloader.MaybeStoreAsync(_context, _limit, _input.RunId, $"{_input.Index}/item", item, _input.Settings.InlinePayloadLimit)
            : null;
        await _starts.RunAllAsync();

        var status = _tasks.Status;
        _progress.Status = status;
        _progress.Publish();
        Report(status.FinishedAction(), status);
        return new PipelineResult
        {
            Index = _input.Index,
            Item = _input.Item,
            Status = status,
            StartedAt = startedAt,
            FinishedAt = _context.CurrentUtcDateTime,
            TaskExecutions = _tasks.ToRecords(),
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
            if (_tasks.FirstNotSucceeded(parents) is { } blocker)
            {
                _tasks.End(state, RunStatus.Cancelled, TaskExecutions.Cancelled($"not started: parent '{blocker.Definition.Name}' {blocker.Status.ToString().ToLowerInvariant()}"));
                return;
            }

            // A suspended run starts no task: the work before a task's first result (its iterator) waits too.
            await _signal.WhileSuspendedAsync();
            if (_stop.Stopping)
            {
                _tasks.End(state, RunStatus.Cancelled, TaskExecutions.Cancelled(_stop.Reason));
                return;
            }

            var task = state.Definition;
            var source = parents.All(p => _keptWhole[p]) ? _input.Reuse : null;
            if (RerunReuse.WholeTask(source, task.Name) is { } whole)
            {
                _keptWhole[t] = true;
                _tasks.EndReused(state, whole);
                return;
            }

            var context = _inputs.Context(parents);
            var large = PayloadOffloader.IsLarge(context, _input.Settings.InlinePayloadLimit);
            if (large || task.Iterator is not null)
            {
                // An activity runs before the first result starts: show the task running meanwhile.
                _tasks.Start(state);
                _progress.Publish();
            }

            var shared = large ? await PayloadOffloader.StoreAsync(_context, _limit, _input.RunId, $"{_input.Index}/{task.Name}/context", context) : context;
            var items = task.Iterator is null
                ? s_oneResult
                : await IteratorItems.ResolveAsync(_context, _limit, context, _inputs.Iterator(task, shared), "the iterator gave no items");
            if (items.Error is not null)
            {
                _tasks.End(state, RunStatus.Failed, new TaskError(TaskErrorTypes.IteratorFailed, items.Error));
                _progress.Failure($"{task.Name}: {items.Error}");
                return;
            }

            _progress.AddResults(items.Items!.Count);
            var tolerated = task.ToleratedFailures?.Allowed(items.Items.Count) ?? 0;
            var reused = RerunReuse.Match(items.Items, 0, RerunReuse.Results(source, task.Name));
            _tasks.EndWithResults(state, await RunResultsAsync(state, _inputs.Template(task, shared), items.Items, tolerated, reused), tolerated);
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
    /// Runs the task's results: here, at most as many at once as its maxConcurrency and this pipeline result's limit
    /// allow, or in task chunks when there are more than the chunk size; no new one once more than
    /// <paramref name="tolerated"/> have failed. A task whose only work is its result starts when that result does.
    /// </summary>
    private Task<TaskResult[]> RunResultsAsync(TaskExecutionState state, TaskResultRequest template, IReadOnlyList<JsonNode?> items, int tolerated, TaskResult?[]? reused)
    {
        var task = state.Definition;
        if (items.Count > _input.Settings.ChunkSize)
        {
            return new TaskChunkRunner(_context, _limit, _signal, _stop, _progress, task, _input.Definition.RepairOf(task), template, items, _input.Settings.ChunkSize, tolerated, reused).RunAsync();
        }

        var attempts = new TaskResultAttempts(_context, _limit, template, task.Retry, _input.Definition.RepairOf(task), _signal, _progress);
        // Results that wait for an event take no slot: they all wait at once, whatever the runner's limit.
        var lanes = Math.Min(items.Count, Math.Min(task.MaxConcurrency ?? int.MaxValue, attempts.TakesASlot ? _limit.Capacity : int.MaxValue));
        return new TaskResultRunner(attempts, _limit, _signal, _progress, _stopReason, tolerated, () => _tasks.Start(state)).RunAsync(items, 0, lanes, reused);
    }

    private void Report(StateAction action, RunStatus status) =>
        _context.ReportStateChange(new StateChange
        {
            Time = _context.CurrentUtcDateTime,
            RunId = _input.RunId,
            PipelineResult = _input.Index,
            Action = action,
            Status = status,
            Item = action == StateAction.Started ? _input.Item : null,
        });
}
