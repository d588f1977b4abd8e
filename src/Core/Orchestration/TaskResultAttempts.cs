using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>
/// The attempts of one task result through the <see cref="ActivityNames.RunTaskResult"/> activity: retries with their
/// backoff as durable timers, and no retry once the run is cancelled or its ttl has expired (rule 7). Reports each
/// attempt and keeps the progress counts of results.
/// </summary>
/// <remarks>
/// Most results end with their first attempt, so it is split in two: <see cref="StartAsync"/> gives the activity call
/// itself, and <see cref="EndAsync"/> completes at once unless a retry follows. A lane thus runs all its results in
/// its own state machine; only a result that is retried gets one of its own.
/// </remarks>
internal sealed class TaskResultAttempts(IOrchestrationContext context, ActivityLimit limit, TaskResultRequest template, RetryPolicy? retry, StopSignal signal, ProgressTracker progress)
{
    private readonly int _attempts = Math.Max(1, retry?.Attempts ?? 1);

    /// <summary>
    /// Starts the result with its first attempt, in the slot of the limit the caller holds: the caller frees it when
    /// the outcome is in, and then gives the outcome to <see cref="EndAsync"/>.
    /// </summary>
    public Task<TaskResultOutcome> StartAsync(int index, JsonNode? item)
    {
        progress.ResultChanged(RunStatus.Pending, RunStatus.Running);
        Started(index, 1, item);
        return context.CallActivityAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, Request(index, 1, item));
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
