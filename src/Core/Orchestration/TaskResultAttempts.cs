using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>
/// The attempts of one task result through the <see cref="ActivityNames.RunTaskResult"/> activity: retries with their
/// backoff as durable timers, and no retry once the run is cancelled or its ttl has expired (rule 7). Reports each
/// attempt and keeps the progress counts of results.
/// </summary>
internal sealed class TaskResultAttempts(IOrchestrationContext context, ActivityLimit limit, TaskResultRequest template, RetryPolicy? retry, StopSignal signal, ProgressTracker progress)
{
    private readonly int _attempts = Math.Max(1, retry?.Attempts ?? 1);

    /// <summary>
    /// Runs the result to its end. The caller has taken a slot of the limit for the first attempt, which starts now;
    /// each retry waits for a slot of its own, and is never held back: work already running finishes (rule 6).
    /// </summary>
    /// <remarks>
    /// The slot is freed in the step that sees the outcome, and the caller records the result in that same step (the
    /// returned task completes there, and an await on the orchestration's loop continues inline): whoever waits for
    /// the slot resumes in a later step and sees the result. A pooled <see cref="ValueTask"/> would post the caller's
    /// continuation behind that waiter instead.
    /// </remarks>
    public async Task<TaskResult> RunAsync(int index, JsonNode? item)
    {
        progress.ResultChanged(RunStatus.Pending, RunStatus.Running);
        DateTime? startedAt = null;
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                await limit.TakeAsync();
            }

            Started(index, attempt, attempt == 1 ? item : null);
            TaskResultOutcome outcome;
            try
            {
                outcome = await context.CallActivityAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, Request(index, attempt, item));
            }
            finally
            {
                // Whoever waits for the slot resumes in a later step, after this one has recorded the outcome.
                limit.Release();
            }

            startedAt ??= outcome.StartedAt;
            if (outcome.Succeeded)
            {
                return Succeeded(index, item, attempt, startedAt, outcome);
            }

            var last = attempt >= _attempts || signal.Stopped;
            var action = outcome.TimedOut ? "TimedOut" : "Failed";
            Report(index, attempt, last ? action : "Retrying", last ? RunStatus.Failed : RunStatus.Running, outcome.Error, null);
            if (!last && retry is not null && retry.DelayAfter(attempt) is { } wait && wait > TimeSpan.Zero)
            {
                await context.CreateTimer(context.CurrentUtcDateTime + wait, CancellationToken.None);
            }

            if (last || signal.Stopped)
            {
                if (!last)
                {
                    Report(index, attempt, action, RunStatus.Failed, outcome.Error, null);
                }

                return Failed(index, item, attempt, startedAt, outcome);
            }
        }
    }

    /// <summary>The activity input of one attempt; a single result's first attempt is the template itself.</summary>
    private TaskResultRequest Request(int index, int attempt, JsonNode? item) =>
        index == template.TaskResult && attempt == template.Attempt && ReferenceEquals(item, template.TaskItem)
            ? template
            : template with { TaskResult = index, Attempt = attempt, TaskItem = item };

    private TaskResult Succeeded(int index, JsonNode? item, int attempt, DateTime? startedAt, TaskResultOutcome outcome)
    {
        Report(index, attempt, "Succeeded", RunStatus.Succeeded, null, null);
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

    private TaskResult Failed(int index, JsonNode? item, int attempt, DateTime? startedAt, TaskResultOutcome outcome)
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
        Report(index, attempt, "Started", RunStatus.Running, null, item);
        progress.Publish();
    }

    private void Report(int index, int attempt, string action, RunStatus status, TaskError? error, JsonNode? item) =>
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
