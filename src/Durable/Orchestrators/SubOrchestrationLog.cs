using DurablePipelines.Durable.Activities;
using Microsoft.DurableTask;

namespace DurablePipelines.Durable.Orchestrators;

/// <summary>Runs a sub-orchestration's part of the algorithm and appends the run log rows it reported.</summary>
internal static class SubOrchestrationLog
{
    public static async Task<T> RunAndAppendAsync<T>(TaskOrchestrationContext context, string runId, Func<DurableOrchestrationContext, Task<T>> body)
    {
        var port = new DurableOrchestrationContext(context);
        try
        {
            return await body(port);
        }
        finally
        {
            // Also on failure: the rows say how far the sub-orchestration got before its parent records the crash.
            if (port.RunLog.Count > 0)
            {
                await context.CallActivityAsync(RunStoreActivities.AppendRunLog, new AppendRunLogRequest(runId, port.RunLog), InfrastructureRetry.Options);
            }
        }
    }
}
