using DurablePipelines.Definitions;
using DurablePipelines.Records;

namespace DurablePipelines.Bench.Scenarios;

/// <summary>A chain of sequential tasks, and its step latencies read from the execution record.</summary>
internal static class ChainLatency
{
    /// <summary>Tasks without <c>parents</c>: rule 5 runs them in order, each after the previous one.</summary>
    public static PipelineDefinition Definition(string name, int tasks, string handler) => new()
    {
        Name = name,
        Tasks = [.. Enumerable.Range(0, tasks).Select(i => new TaskDefinition { Name = $"step{i}", Handler = handler })],
    };

    /// <summary>
    /// Parent finished to child started, in microseconds, for each step: from the parent's task result
    /// <c>finishedAt</c> (its handler returned) to the child's task result <c>startedAt</c> (its activity began).
    /// </summary>
    public static List<double> StepLatencies(PipelineExecution execution)
    {
        var tasks = execution.PipelineResults.Single().TaskExecutions;
        var latencies = new List<double>(tasks.Count);
        for (var i = 1; i < tasks.Count; i++)
        {
            var finished = tasks[i - 1].TaskResults.Single().FinishedAt ?? throw new InvalidOperationException($"{tasks[i - 1].Task} has no finishedAt");
            var started = tasks[i].TaskResults.Single().StartedAt ?? throw new InvalidOperationException($"{tasks[i].Task} has no startedAt");
            latencies.Add((started - finished).TotalMicroseconds);
        }

        return latencies;
    }
}
