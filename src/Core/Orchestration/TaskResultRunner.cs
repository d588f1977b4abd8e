using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>
/// Runs task results of one task execution through the <see cref="ActivityNames.RunTaskResult"/> activity:
/// a sliding window of lanes, retries with backoff, and no new result once one has failed or the run stops.
/// Used by the pipeline-item orchestration and by task chunks alike.
/// </summary>
internal sealed class TaskResultRunner(IOrchestrationContext context, TaskResultRequest template, RetryPolicy? retry, StopSignal signal, ProgressTracker progress)
{
    private bool _failed;

    /// <summary>True once a result of this task has failed (rule 4: start no more).</summary>
    public bool Failed => _failed;

    /// <summary>
    /// Runs <paramref name="items"/> (whose first index is <paramref name="firstIndex"/>) with at most
    /// <paramref name="lanes"/> in flight; returns one result per item, null for the ones never started.
    /// <paramref name="starting"/>, when given, runs as each result really starts, before its own start is reported.
    /// </summary>
    public Task<TaskResult?[]> RunAsync(IReadOnlyList<JsonNode?> items, int firstIndex, int lanes, Func<bool> stopRequested, Action? starting = null)
    {
        var window = new Window(items, firstIndex, stopRequested, starting);
        var count = Math.Max(1, Math.Min(lanes, items.Count));

        // One lane (a single result, or the eager runner): the lane is the whole run, with no lanes to wait for.
        return count == 1 ? RunLaneAsync(window) : RunLanesAsync(window, count);
    }

    private async Task<TaskResult?[]> RunLanesAsync(Window window, int count)
    {
        var running = new Task[count];
        for (var l = 0; l < count; l++)
        {
            running[l] = RunLaneAsync(window);
        }

        await Task.WhenAll(running);
        return window.Results;
    }

    /// <summary>
    /// One lane: takes the next item until none is left, one has failed or the run stops, and runs it to its result
    /// (null when its first attempt was held back and it never started). One lane runs all its items in one state
    /// machine: a wide run has as many of these as results in flight, not one per result.
    /// </summary>
    private async Task<TaskResult?[]> RunLaneAsync(Window window)
    {
        window.Lanes++;
        var attempts = Math.Max(1, retry?.Attempts ?? 1);
        while (Continues(window))
        {
            var i = window.Next++;
            var index = window.FirstIndex + i;
            var item = window.Items[i];
            TaskResult? result = null;
            DateTime? startedAt = null;
            for (var attempt = 1; result is null; attempt++)
            {
                var request = Request(index, attempt, item);
                TaskResultOutcome? outcome;
                if (attempt == 1)
                {
                    // The lane's check is made again when the runner really starts the call: one still queued behind
                    // the runner's limit has not started, so a failure of this task (rule 4) or a stop (failFast, a
                    // cancel, the ttl) seen meanwhile holds it back.
                    outcome = await context.CallActivityAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, request, () => Starting(window, index, item));
                    if (outcome is null)
                    {
                        break;
                    }
                }
                else
                {
                    Started(index, attempt, null);
                    outcome = await context.CallActivityAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, request);
                }

                startedAt ??= outcome.StartedAt;
                if (outcome.Succeeded)
                {
                    result = SucceededResult(index, item, attempt, startedAt, outcome);
                    break;
                }

                var last = attempt >= attempts || signal.Stopped;
                var action = outcome.TimedOut ? StateAction.TimedOut : StateAction.Failed;
                Report(index, attempt, last ? action : StateAction.Retrying, last ? RunStatus.Failed : RunStatus.Running, outcome.Error, null);
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

                    result = FailedResult(index, item, attempt, startedAt, outcome);
                }
            }

            window.Results[i] = result;
            if (result?.Status == RunStatus.Failed)
            {
                _failed = true;
            }

            // The caller publishes as soon as the last lane ends, in this same step: a host would only show that one.
            if (Continues(window) || window.Lanes > 1)
            {
                progress.Publish();
            }
        }

        window.Lanes--;
        return window.Results;
    }

    private bool Continues(Window window) => !_failed && !window.StopRequested() && window.Next < window.Items.Count;

    /// <summary>The activity input of one attempt; a single result's first attempt is the template itself.</summary>
    private TaskResultRequest Request(int index, int attempt, JsonNode? item) =>
        index == template.TaskResult && attempt == template.Attempt && ReferenceEquals(item, template.TaskItem)
            ? template
            : template with { TaskResult = index, Attempt = attempt, TaskItem = item };

    private TaskResult SucceededResult(int index, JsonNode? item, int attempt, DateTime? startedAt, TaskResultOutcome outcome)
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

    private TaskResult FailedResult(int index, JsonNode? item, int attempt, DateTime? startedAt, TaskResultOutcome outcome)
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

    /// <summary>Whether the first attempt of an item may start now; when it may, the item starts running.</summary>
    private bool Starting(Window window, int index, JsonNode? item)
    {
        if (_failed || window.StopRequested())
        {
            return false;
        }

        window.Starting?.Invoke();
        progress.ResultChanged(RunStatus.Pending, RunStatus.Running);
        Started(index, 1, item);
        return true;
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

    /// <summary>A result that never started, recorded as cancelled with the reason.</summary>
    public static TaskResult NotStarted(int index, JsonNode? item, string reason) => new()
    {
        Index = index,
        Item = item,
        Status = RunStatus.Cancelled,
        Attempts = 0,
        Error = new TaskError(TaskErrorTypes.Cancelled, reason),
    };

    /// <summary>What a result says that never started because another result of its task failed (rule 4).</summary>
    public const string AnotherResultFailed = "not started: another result of this task failed";

    /// <summary>The items the lanes share: the next one to take and the results so far.</summary>
    private sealed class Window(IReadOnlyList<JsonNode?> items, int firstIndex, Func<bool> stopRequested, Action? starting)
    {
        public IReadOnlyList<JsonNode?> Items { get; } = items;

        public int FirstIndex { get; } = firstIndex;

        public Func<bool> StopRequested { get; } = stopRequested;

        /// <summary>Runs as each result really starts.</summary>
        public Action? Starting { get; } = starting;

        public TaskResult?[] Results { get; } = new TaskResult?[items.Count];

        public int Next { get; set; }

        /// <summary>Lanes still taking items.</summary>
        public int Lanes { get; set; }
    }
}
