using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>
/// The attempts of one task result through the <see cref="ActivityNames.RunTaskResult"/> activity: retries with their
/// backoff as durable timers, and no retry once the run is cancelled or its ttl has expired (rule 7). Reports each
/// attempt and keeps the progress counts of results. A result of a <c>wait</c> task (<see cref="WaitForEvent"/>) makes no
/// activity call: its one attempt waits in the orchestration for its event, its timeout or the run's stop.
/// </summary>
/// <remarks>
/// Most results end with their first attempt, so it is split in two: <see cref="StartAsync"/> gives the activity call
/// itself, and <see cref="EndAsync"/> completes at once unless a retry follows. A lane thus runs all its results in
/// its own state machine; only a result that is retried gets one of its own.
/// </remarks>
internal sealed class TaskResultAttempts(IOrchestrationContext context, ActivityLimit limit, TaskResultRequest template, RetryPolicy? retry, StopSignal signal, ProgressTracker progress)
{
    private readonly WaitForEvent.Spec? _wait = template.Handler == WaitForEvent.HandlerName ? WaitForEvent.Read(template.Config) : null;
    private readonly int _attempts = template.Handler == WaitForEvent.HandlerName ? 1 : Math.Max(1, retry?.Attempts ?? 1);

    /// <summary>
    /// False for a <c>wait</c> task: its results call no activity, so they take no slot of the limit (a result waiting
    /// for an operator for a day must not hold back every other result of the run).
    /// </summary>
    public bool TakesASlot => _wait is null;

    /// <summary>
    /// Starts the result with its first attempt, in the slot of the limit the caller holds: the caller frees it when
    /// the outcome is in, and then gives the outcome to <see cref="EndAsync"/>.
    /// </summary>
    public Task<TaskResultOutcome> StartAsync(int index, JsonNode? item)
    {
        progress.ResultChanged(RunStatus.Pending, RunStatus.Running);
        Started(index, 1, item);
        return _wait is { } wait
            ? WaitAsync(wait, index, item)
            : context.CallActivityAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, Request(index, 1, item));
    }

    /// <summary>The one attempt of a <c>wait</c> result: the event's body, or what its timeout or the run's stop gives.</summary>
    private async Task<TaskResultOutcome> WaitAsync(WaitForEvent.Spec wait, int index, JsonNode? item)
    {
        var name = wait.EventFor(index, item);
        var startedAt = context.CurrentUtcDateTime;
        using var timerCancel = new CancellationTokenSource();
        var received = signal.Events.WaitAsync(name);
        var timer = wait.Timeout is { } timeout ? context.CreateTimer(startedAt + timeout, timerCancel.Token) : null;
        var first = timer is null
            ? await Task.WhenAny(received, signal.StoppedAsync)
            : await Task.WhenAny(received, signal.StoppedAsync, timer);
        if (first != timer)
        {
            // Synchronously, on the orchestration's thread: CancelAsync would run the timer's cancellation, and with it
            // this method's continuation, on the thread pool, where an engine's orchestration never resumes.
            timerCancel.Cancel();
        }

        var finishedAt = context.CurrentUtcDateTime;
        if (first == received)
        {
            return new TaskResultOutcome { Succeeded = true, Output = await received, StartedAt = startedAt, FinishedAt = finishedAt };
        }

        if (first == timer && wait.DefaultOnTimeout)
        {
            return new TaskResultOutcome { Succeeded = true, Output = wait.Default?.DeepClone(), StartedAt = startedAt, FinishedAt = finishedAt };
        }

        var message = first == timer
            ? $"no event '{name}' within {Durations.Format(wait.Timeout!.Value)}"
            : $"the run was stopped while the result waited for event '{name}'";
        return new TaskResultOutcome
        {
            TimedOut = first == timer,
            Error = new TaskError(first == timer ? typeof(TimeoutException).FullName! : TaskErrorTypes.Cancelled, message),
            StartedAt = startedAt,
            FinishedAt = finishedAt,
        };
    }

    /// <summary>Counts and reports a result a rerun keeps from its source run instead of running it.</summary>
    public void Reused(TaskResult result)
    {
        progress.ResultChanged(RunStatus.Pending, RunStatus.Succeeded);
        RerunReuse.ReportResult(context, template.RunId, template.PipelineResult, template.Task, result);
    }

    /// <summary>
    /// The result the first attempt's outcome gives: at once when it succeeded or was the last, else after the retries.
    /// Each retry waits for a slot of its own and is never held back: work already running finishes (rule 6).
    /// </summary>
    public ValueTask<TaskResult> EndAsync(int index, JsonNode? item, TaskResultOutcome first) =>
        TryEnd(index, item, 1, first.StartedAt, first, out var result)
            ? new ValueTask<TaskResult>(result)
            : new ValueTask<TaskResult>(RetryAsync(index, item, first));

    private async Task<TaskResult> RetryAsync(int index, JsonNode? item, TaskResultOutcome first)
    {
        var outcome = first;
        for (var attempt = 2; ; attempt++)
        {
            if (retry!.DelayAfter(attempt - 1) is { } wait && wait > TimeSpan.Zero)
            {
                await context.CreateTimer(context.CurrentUtcDateTime + wait, CancellationToken.None);
            }

            if (signal.Stopped)
            {
                // Cancelled or out of time while waiting: the failed attempt was the last one.
                Report(index, attempt - 1, FailedAction(outcome), RunStatus.Failed, outcome.Error, null);
                return Failed(index, item, attempt - 1, first.StartedAt, outcome);
            }

            await limit.TakeAsync();
            Started(index, attempt, null);
            try
            {
                outcome = await context.CallActivityAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, Request(index, attempt, item));
            }
            finally
            {
                // Whoever waits for the slot resumes in a later step, after this one has recorded the result.
                limit.Release();
            }

            if (TryEnd(index, item, attempt, first.StartedAt, outcome, out var result))
            {
                return result;
            }
        }
    }

    /// <summary>The result when <paramref name="attempt"/> succeeded or was the last; false when a retry follows.</summary>
    private bool TryEnd(int index, JsonNode? item, int attempt, DateTime startedAt, TaskResultOutcome outcome, [NotNullWhen(true)] out TaskResult? result)
    {
        if (outcome.Succeeded)
        {
            result = Succeeded(index, item, attempt, startedAt, outcome);
            return true;
        }

        var last = attempt >= _attempts || signal.Stopped;
        Report(index, attempt, last ? FailedAction(outcome) : StateAction.Retrying, last ? RunStatus.Failed : RunStatus.Running, outcome.Error, null);
        result = last ? Failed(index, item, attempt, startedAt, outcome) : null;
        return last;
    }

    private static StateAction FailedAction(TaskResultOutcome outcome) => outcome.TimedOut ? StateAction.TimedOut : StateAction.Failed;

    /// <summary>The activity input of one attempt; a single result's first attempt is the template itself.</summary>
    private TaskResultRequest Request(int index, int attempt, JsonNode? item) =>
        index == template.TaskResult && attempt == template.Attempt && ReferenceEquals(item, template.TaskItem)
            ? template
            : template with { TaskResult = index, Attempt = attempt, TaskItem = item };

    private TaskResult Succeeded(int index, JsonNode? item, int attempt, DateTime startedAt, TaskResultOutcome outcome)
    {
        Report(index, attempt, StateAction.Succeeded, RunStatus.Succeeded, null, null);
        progress.ResultChanged(RunStatus.Running, RunStatus.Succeeded);
        return new TaskResult
        {
            Index = index,
            Item = item,
            Status = RunStatus.Succeeded,
            Attempts = attempt,
            StartedAt = startedAt,
            FinishedAt = outcome.FinishedAt,
            Output = outcome.Output,
        };
    }

    private TaskResult Failed(int index, JsonNode? item, int attempt, DateTime startedAt, TaskResultOutcome outcome)
    {
        progress.ResultChanged(RunStatus.Running, RunStatus.Failed);
        progress.Failure($"{template.Task}[{index}]: {outcome.Error?.Message}");
        return new TaskResult
        {
            Index = index,
            Item = item,
            Status = RunStatus.Failed,
            Attempts = attempt,
            StartedAt = startedAt,
            FinishedAt = outcome.FinishedAt,
            Error = outcome.Error,
        };
    }

    private void Started(int index, int attempt, JsonNode? item)
    {
        Report(index, attempt, StateAction.Started, RunStatus.Running, null, item);
        progress.Publish();
    }

    private void Report(int index, int attempt, StateAction action, RunStatus status, TaskError? error, JsonNode? item) =>
        context.ReportStateChange(new StateChange
        {
            Time = context.CurrentUtcDateTime,
            RunId = template.RunId,
            PipelineResult = template.PipelineResult,
            Task = template.Task,
            TaskResult = index,
            Attempt = attempt,
            Action = action,
            Status = status,
            Error = error,
            Item = item,
        });
}
