using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>
/// The task executions of one pipeline result and their status changes: Pending until their work starts, Running,
/// then final. Each change is timed, counted in the progress and reported; a failure stops a <c>failFast</c> pipeline
/// result.
/// </summary>
internal sealed class TaskExecutions(IOrchestrationContext context, PipelineItemInput input, TaskExecutionState[] tasks, ProgressTracker progress, TaskStarts starts, PipelineResultStop stop)
{
    /// <summary>The execution of task <paramref name="t"/> (definition order).</summary>
    public TaskExecutionState this[int t] => tasks[t];

    /// <summary>The pipeline result's status once every task has ended: a failure wins over a cancellation.</summary>
    public RunStatus Status =>
        tasks.Any(t => t.Status == RunStatus.Failed) ? RunStatus.Failed
        : tasks.Any(t => t.Status == RunStatus.Cancelled) ? RunStatus.Cancelled
        : RunStatus.Succeeded;

    /// <summary>Every task's record, in definition order.</summary>
    public IReadOnlyList<TaskExecution> ToRecords() => [.. tasks.Select(t => t.ToRecord())];

    /// <summary>The first of <paramref name="parents"/> that did not succeed, if any (rule 1).</summary>
    public TaskExecutionState? FirstNotSucceeded(int[] parents)
    {
        foreach (var p in parents)
        {
            if (tasks[p].Status != RunStatus.Succeeded)
            {
                return tasks[p];
            }
        }

        return null;
    }

    /// <summary>
    /// Marks the task running, once: when its first result starts, or when it calls an activity before its results.
    /// A task none of whose work started never started. Its run no longer counts as not begun for <see cref="TaskStarts"/>.
    /// </summary>
    public void Start(TaskExecutionState state)
    {
        if (state.Status != RunStatus.Pending)
        {
            return;
        }

        state.Status = RunStatus.Running;
        state.StartedAt = context.CurrentUtcDateTime;
        starts.Begun(state.Index);
        progress.TaskChanged(state.Definition.Name, RunStatus.Pending, RunStatus.Running);
        Report(state.Definition.Name, StateAction.Started, RunStatus.Running, null);
    }

    /// <summary>
    /// Records the task's results and ends it with the status they give: failed when more failed than the
    /// <paramref name="tolerated"/> it allows, else cancelled when one never started. A task none of whose results
    /// started never started: it ends as one stopped before it did.
    /// </summary>
    public void EndWithResults(TaskExecutionState state, TaskResult[] results, int tolerated)
    {
        var failures = 0;
        var anyCancelled = false;
        foreach (var r in results)
        {
            failures += r.Status == RunStatus.Failed ? 1 : 0;
            anyCancelled |= r.Status == RunStatus.Cancelled;
            if (r.Attempts == 0)
            {
                progress.ResultChanged(RunStatus.Pending, RunStatus.Cancelled);
            }
        }

        state.Results = results;
        var anyFailed = failures > tolerated;
        var status = anyFailed ? RunStatus.Failed : anyCancelled ? RunStatus.Cancelled : RunStatus.Succeeded;
        var neverStarted = state.Status == RunStatus.Pending;
        End(state, status, neverStarted ? Cancelled(anyFailed ? TaskResultRunner.FailedBeyond(tolerated) : stop.Reason) : null);
    }

    /// <summary>Ends the task with <paramref name="status"/>; a failure stops a failFast pipeline result (rule 6).</summary>
    public void End(TaskExecutionState state, RunStatus status, TaskError? error)
    {
        var from = state.Status;
        state.Status = status;
        state.Error = error;
        state.FinishedAt = context.CurrentUtcDateTime;
        progress.TaskChanged(state.Definition.Name, from, status);
        if (status == RunStatus.Failed)
        {
            stop.TaskFailed();
            progress.Failure($"{state.Definition.Name}: {error?.Message ?? state.Results.FirstOrDefault(r => r.Error is not null)?.Error?.Message}");
        }

        Report(state.Definition.Name, status.FinishedAction(), status, error);
        progress.Publish();
    }

    /// <summary>
    /// Ends a task a rerun keeps whole from its source run (<paramref name="source"/>, succeeded): its results and
    /// times as recorded there, reported <see cref="StateAction.Reused"/>; it never starts here.
    /// </summary>
    public void EndReused(TaskExecutionState state, TaskExecution source)
    {
        state.Results = [.. source.TaskResults];
        state.StartedAt = source.StartedAt;
        state.FinishedAt = source.FinishedAt;
        state.Status = RunStatus.Succeeded;
        progress.TaskChanged(state.Definition.Name, RunStatus.Pending, RunStatus.Succeeded);
        progress.ResultsReused(source.TaskResults.Count);
        RerunReuse.ReportTask(context, input.RunId, input.Index, source);
        progress.Publish();
    }

    /// <summary>The error of a task that never started, or was stopped.</summary>
    public static TaskError Cancelled(string message) => new(TaskErrorTypes.Cancelled, message);

    private void Report(string task, StateAction action, RunStatus status, TaskError? error) =>
        context.ReportStateChange(new StateChange
        {
            Time = context.CurrentUtcDateTime,
            RunId = input.RunId,
            PipelineResult = input.Index,
            Task = task,
            Action = action,
            Status = status,
            Error = error,
        });
}
