using DurablePipelines.Definitions;
using DurablePipelines.Graph;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Conformance;

/// <summary>Assertions over execution records.</summary>
public static class RecordAssert
{
    public static TaskExecution Task(PipelineResult result, string name) =>
        result.TaskExecutions.Single(t => t.Task == name);

    /// <summary>Rule 1: every started task started after each of its parents finished, and the parents succeeded.</summary>
    public static void ParentsFinishedBeforeChildren(PipelineDefinition definition, PipelineResult result)
    {
        var graph = TaskGraph.Create(definition);
        for (var i = 0; i < graph.Count; i++)
        {
            var child = result.TaskExecutions[i];
            if (child.StartedAt is null)
            {
                continue;
            }

            foreach (var p in graph.Parents[i])
            {
                var parent = result.TaskExecutions[p];
                Assert.Equal(RunStatus.Succeeded, parent.Status);
                Assert.True(parent.FinishedAt <= child.StartedAt, $"{child.Task} started at {child.StartedAt:O} before parent {parent.Task} finished at {parent.FinishedAt:O}");
                foreach (var r in child.TaskResults.Where(r => r.StartedAt is not null))
                {
                    Assert.True(parent.FinishedAt <= r.StartedAt);
                }
            }
        }
    }
}
