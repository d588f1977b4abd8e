using System.Text.Json.Nodes;
using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>
/// Which of a source run's results a rerun reuses (docs/rules.md, Rerun): a pipeline result, task execution or task
/// result that succeeded there, at the same index with an equal item, is kept as recorded instead of run. Only what
/// succeeded whole is kept whole: a task that succeeded with a result that did not (tolerated failures) runs again
/// per result.
/// </summary>
internal static class RerunReuse
{
    /// <summary>The source's pipeline result at <paramref name="index"/>, when its item equals <paramref name="item"/>.</summary>
    public static PipelineResult? Source(Rerun? rerun, int index, JsonNode? item) =>
        rerun is not null && index < rerun.PipelineResults.Count && rerun.PipelineResults[index] is { } source
            && source.Index == index && JsonNode.DeepEquals(source.Item, item)
            ? source
            : null;

    /// <summary>True when <paramref name="result"/> and every task in it succeeded: it is kept whole.</summary>
    public static bool SucceededWhole(PipelineResult? result) =>
        result is { Status: RunStatus.Succeeded } && result.TaskExecutions.All(SucceededWhole);

    /// <summary>The source's execution of <paramref name="task"/> when it and every result in it succeeded.</summary>
    public static TaskExecution? WholeTask(PipelineResult? source, string task) =>
        source?.TaskExecutions.FirstOrDefault(t => t.Task == task) is { } execution && SucceededWhole(execution) ? execution : null;

    /// <summary>
    /// For each of <paramref name="items"/> (the first at <paramref name="firstIndex"/>), the succeeded source result at
    /// its index with an equal item, or null when it must run; null as a whole when nothing is reused.
    /// </summary>
    public static TaskResult?[]? Match(IReadOnlyList<JsonNode?> items, int firstIndex, IEnumerable<TaskResult> sourceResults)
    {
        TaskResult?[]? reused = null;
        foreach (var r in sourceResults)
        {
            var slot = r.Index - firstIndex;
            if (r.Status == RunStatus.Succeeded && slot >= 0 && slot < items.Count && JsonNode.DeepEquals(r.Item, items[slot]))
            {
                reused ??= new TaskResult?[items.Count];
                reused[slot] = r;
            }
        }

        return reused;
    }

    /// <summary>The source's results of <paramref name="task"/>, succeeded or not; none without a source.</summary>
    public static IReadOnlyList<TaskResult> Results(PipelineResult? source, string task) =>
        source?.TaskExecutions.FirstOrDefault(t => t.Task == task)?.TaskResults ?? [];

    /// <summary>Reports a kept task result: a <see cref="StateAction.Reused"/> row, status Succeeded.</summary>
    public static void ReportResult(IOrchestrationContext context, string runId, int pipelineResult, string task, TaskResult result) =>
        context.ReportStateChange(new StateChange
        {
            Time = context.CurrentUtcDateTime,
            RunId = runId,
            PipelineResult = pipelineResult,
            Task = task,
            TaskResult = result.Index,
            Action = StateAction.Reused,
            Status = RunStatus.Succeeded,
            Item = result.Item,
        });

    /// <summary>Reports a pipeline result kept whole: its row, each task's and each task result's, all <see cref="StateAction.Reused"/>.</summary>
    public static void ReportWhole(IOrchestrationContext context, string runId, PipelineResult result)
    {
        context.ReportStateChange(new StateChange
        {
            Time = context.CurrentUtcDateTime,
            RunId = runId,
            PipelineResult = result.Index,
            Action = StateAction.Reused,
            Status = RunStatus.Succeeded,
            Item = result.Item,
        });
        foreach (var task in result.TaskExecutions)
        {
            ReportTask(context, runId, result.Index, task);
        }
    }

    /// <summary>Reports a task execution kept whole: its row and each of its results', all <see cref="StateAction.Reused"/>.</summary>
    public static void ReportTask(IOrchestrationContext context, string runId, int pipelineResult, TaskExecution task)
    {
        context.ReportStateChange(new StateChange
        {
            Time = context.CurrentUtcDateTime,
            RunId = runId,
            PipelineResult = pipelineResult,
            Task = task.Task,
            Action = StateAction.Reused,
            Status = RunStatus.Succeeded,
        });
        foreach (var r in task.TaskResults)
        {
            ReportResult(context, runId, pipelineResult, task.Task, r);
        }
    }

    private static bool SucceededWhole(TaskExecution task) =>
        task.Status == RunStatus.Succeeded && task.TaskResults.All(r => r.Status == RunStatus.Succeeded);
}
