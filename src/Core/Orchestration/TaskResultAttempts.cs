using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>
/// The attempts of one task result through the <see cref="ActivityNames.RunTaskResult"/> activity: retries with their
/// backoff as durable timers, and no retry once the run is cancelled or its ttl has expired (rule 7). Reports each
/// attempt and keeps the progress counts of results. A result of a <c>wait</c> task (<see cref="WaitForEvent"/>) makes no
/// activity call: its one attempt waits in the orchestration for its event, its timeout or the run's stop. With
/// <c>repair</c>, a result whose last attempt failed waits for an operator (<see cref="RepairDesk"/>), who retries it
/// with a new round of attempts, skips it with an output, or fails it; its timeout or the run's stop fails it as it
/// would have failed without repair.
/// </summary>
/// <remarks>
/// Most results end with their first attempt, so it is split in two: <see cref="StartAsync"/> gives the activity call
/// itself, and <see cref="EndAsync"/> completes at once unless a retry follows. A lane thus runs all its results in
/// its own state machine; only a result that is retried gets one of its own.
/// </remarks>
internal sealed class TaskResultAttempts(IOrchestrationContext context, ActivityLimit limit, TaskResultRequest template, RetryPolicy? retry, RepairPolicy? repair, StopSignal signal, ProgressTracker progress)
{
    // A wait result has its own timeout and what happens then ("onTimeout"); validation refuses repair on it.
    private readonly RepairPolicy? _repair = template.Handler == WaitForEvent.HandlerName ? null : repair;

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
    /// The result the first attempt's outcome gives: at once when it succeeded or was the last, else after the retries
    /// and, with <c>repair</c>, what an operator decides. Each retry waits for a slot of its own and is never held back:
    /// work already running finishes (rule 6).
    /// </summary>
    public ValueTask<TaskResult> EndAsync(int index, JsonNode? item, TaskResultOutcome first)
    {
        // Most results succeed at once: no state for retries or an operator.
        if (first.Succeeded)
        {
            return new ValueTask<TaskResult>(Succeeded(index, item, 1, first, null, reported: false));
        }

        var result = new Ongoing(index, item, template.Config, first);
        return TryEnd(result)
            ? new ValueTask<TaskResult>(result.Outcome.Succeeded ? Succeeded(result) : Failed(result))
            : new ValueTask<TaskResult>(FinishAsync(result));
    }

    /// <summary>
    /// True when the result ends with its latest attempt: it succeeded, or failed as the last one with no operator to
    /// wait for (its failure is reported). False when another attempt follows (reported as a retry) or it waits for an
    /// operator.
    /// </summary>
    private bool TryEnd(Ongoing result)
    {
        if (result.Outcome.Succeeded)
        {
            return true;
        }

        if (result.Attempt < result.LastAttempt(_attempts) && !signal.Stopped)
        {
            Report(result.Index, result.Attempt, StateAction.Retrying, RunStatus.Running, result.Outcome.Error, null);
            return false;
        }

        if (_repair is not null && !signal.Stopped)
        {
            return false;
        }

        ReportFailed(result);
        return true;
    }

    private async Task<TaskResult> FinishAsync(Ongoing result)
    {
        while (true)
        {
            if (result.Attempt < result.LastAttempt(_attempts) && !signal.Stopped)
            {
                if (retry!.DelayAfter(result.Attempt - result.FirstAttempt + 1) is { } wait && wait > TimeSpan.Zero)
                {
                    await context.CreateTimer(context.CurrentUtcDateTime + wait, CancellationToken.None);
                }

                if (signal.Stopped)
                {
                    // Cancelled or out of time while waiting: the failed attempt was the last one.
                    ReportFailed(result);
                    return Failed(result);
                }

                await NextAttemptAsync(result, null);
            }
            else if (_repair is not null && !signal.Stopped)
            {
                if (await OperatorActsAsync(result) is not { } repair)
                {
                    // No operator within the repair's timeout, or the run stopped: it fails as it would have.
                    ReportFailed(result);
                    return Failed(result);
                }

                var action = repair.Action switch
                {
                    RepairAction.Retry => StateAction.RetriedByOperator,
                    RepairAction.Skip => StateAction.SkippedByOperator,
                    _ => StateAction.FailedByOperator,
                };
                result.Acted(new OperatorAction(action, context.CurrentUtcDateTime) { By = repair.By, AfterAttempt = result.Attempt });
                switch (repair.Action)
                {
                    case RepairAction.Skip:
                        Report(result.Index, result.Attempt, action, RunStatus.Succeeded, null, null, repair.By);
                        result.Skipped(repair.Output, context.CurrentUtcDateTime);
                        return Succeeded(result, reported: true);
                    case RepairAction.Fail:
                        Report(result.Index, result.Attempt, action, RunStatus.Failed, result.Outcome.Error, null, repair.By);
                        return Failed(result);
                }

                Report(result.Index, result.Attempt, action, RunStatus.Running, result.Outcome.Error, null, repair.By);
                result.Config = repair.Config ?? result.Config;
                result.Item = repair.Item ?? result.Item;
                result.FirstAttempt = result.Attempt + 1;

                // A retry is no new result, but it starts an attempt: not while the run is suspended.
                await signal.WhileSuspendedAsync();
                if (signal.Stopped)
                {
                    ReportFailed(result);
                    return Failed(result);
                }

                await NextAttemptAsync(result, repair.Item);
            }
            else
            {
                ReportFailed(result);
                return Failed(result);
            }

            if (TryEnd(result))
            {
                return result.Outcome.Succeeded ? Succeeded(result) : Failed(result);
            }
        }
    }

    /// <summary>The result's next attempt, in a slot of its own; <paramref name="item"/> is reported when an operator changed it.</summary>
    private async Task NextAttemptAsync(Ongoing result, JsonNode? item)
    {
        await limit.TakeAsync();
        Started(result.Index, result.Attempt + 1, item);
        try
        {
            result.Outcome = await context.CallActivityAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, Request(result.Index, result.Attempt + 1, result.Item, result.Config));
        }
        finally
        {
            // Whoever waits for the slot resumes in a later step, after this one has recorded the result.
            limit.Release();
        }

        result.Attempt++;
    }

    /// <summary>
    /// Lists the failed result as waiting for an operator and returns the operator's action; null when the repair's
    /// timeout or the run's stop came first.
    /// </summary>
    private async Task<RepairMessage?> OperatorActsAsync(Ongoing result)
    {
        var since = context.CurrentUtcDateTime;
        DateTime? until = _repair!.Timeout is { } timeout ? since + timeout : null;
        var waiting = new WaitingResult(template.PipelineResult, template.Task, result.Index, result.Attempt, result.Outcome.Error, since, until);
        Report(result.Index, result.Attempt, StateAction.WaitingForOperator, RunStatus.Running, result.Outcome.Error, null);
        using var timerCancel = new CancellationTokenSource();
        var repaired = signal.Repairs.WaitAsync(waiting);
        var timer = until is { } fireAt ? context.CreateTimer(fireAt, timerCancel.Token) : null;
        var first = timer is null
            ? await Task.WhenAny(repaired, signal.StoppedAsync)
            : await Task.WhenAny(repaired, signal.StoppedAsync, timer);
        if (first != timer)
        {
            // Synchronously, on the orchestration's thread (see WaitAsync).
            timerCancel.Cancel();
        }

        if (first == repaired)
        {
            return await repaired;
        }

        signal.Repairs.EndWait(waiting);
        return null;
    }

    private void ReportFailed(Ongoing result) =>
        Report(result.Index, result.Attempt, FailedAction(result.Outcome), RunStatus.Failed, result.Outcome.Error, null);

    private static StateAction FailedAction(TaskResultOutcome outcome) => outcome.TimedOut ? StateAction.TimedOut : StateAction.Failed;

    /// <summary>The activity input of one attempt; a single result's first attempt is the template itself.</summary>
    private TaskResultRequest Request(int index, int attempt, JsonNode? item, JsonObject? config = null) =>
        index == template.TaskResult && attempt == template.Attempt && ReferenceEquals(item, template.TaskItem) && (config is null || ReferenceEquals(config, template.Config))
            ? template
            : template with { TaskResult = index, Attempt = attempt, TaskItem = item, Config = config ?? template.Config };

    private TaskResult Succeeded(Ongoing result, bool reported = false) =>
        Succeeded(result.Index, result.Item, result.Attempt, result.Outcome with { StartedAt = result.StartedAt }, result.Actions, reported);

    /// <summary>The succeeded result of <paramref name="outcome"/> (its start the first attempt's), reported unless it was.</summary>
    private TaskResult Succeeded(int index, JsonNode? item, int attempts, TaskResultOutcome outcome, IReadOnlyList<OperatorAction>? actions, bool reported)
    {
        if (!reported)
        {
            Report(index, attempts, StateAction.Succeeded, RunStatus.Succeeded, null, null);
        }

        progress.ResultChanged(RunStatus.Running, RunStatus.Succeeded);
        return new TaskResult
        {
            Index = index,
            Item = item,
            Status = RunStatus.Succeeded,
            Attempts = attempts,
            StartedAt = outcome.StartedAt,
            FinishedAt = outcome.FinishedAt,
            Output = outcome.Output,
            OperatorActions = actions,
        };
    }

    private TaskResult Failed(Ongoing result)
    {
        progress.ResultChanged(RunStatus.Running, RunStatus.Failed);
        progress.Failure($"{template.Task}[{result.Index}]: {result.Outcome.Error?.Message}");
        return new TaskResult
        {
            Index = result.Index,
            Item = result.Item,
            Status = RunStatus.Failed,
            Attempts = result.Attempt,
            StartedAt = result.StartedAt,
            FinishedAt = result.Outcome.FinishedAt,
            Error = result.Outcome.Error,
            OperatorActions = result.Actions,
        };
    }

    private void Started(int index, int attempt, JsonNode? item)
    {
        Report(index, attempt, StateAction.Started, RunStatus.Running, null, item);
        progress.Publish();
    }

    private void Report(int index, int attempt, StateAction action, RunStatus status, TaskError? error, JsonNode? item, string? by = null) =>
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
            By = by,
        });

    /// <summary>
    /// One result past its first attempt: its latest outcome and attempt, where the current round of retries began
    /// (an operator's retry begins a new one), what it runs with, and what operators did to it.
    /// </summary>
    private sealed class Ongoing(int index, JsonNode? item, JsonObject? config, TaskResultOutcome first)
    {
        public int Index { get; } = index;

        public JsonNode? Item { get; set; } = item;

        public JsonObject? Config { get; set; } = config;

        public DateTime StartedAt { get; } = first.StartedAt;

        public TaskResultOutcome Outcome { get; set; } = first;

        public int Attempt { get; set; } = 1;

        public int FirstAttempt { get; set; } = 1;

        /// <summary>What operators did to the result, in order; null while nothing.</summary>
        public List<OperatorAction>? Actions { get; private set; }

        public void Acted(OperatorAction action) => (Actions ??= []).Add(action);

        /// <summary>The last attempt of the current round, for a task that makes <paramref name="attempts"/> per round.</summary>
        public int LastAttempt(int attempts) => FirstAttempt + attempts - 1;

        /// <summary>Ends the result with an operator's <paramref name="output"/> at <paramref name="now"/>.</summary>
        public void Skipped(JsonNode? output, DateTime now) =>
            Outcome = new TaskResultOutcome { Succeeded = true, Output = output, StartedAt = Outcome.StartedAt, FinishedAt = now };
    }
}
