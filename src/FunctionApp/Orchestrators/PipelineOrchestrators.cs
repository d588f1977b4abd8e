using DurablePipelines.FunctionApp.Activities;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace DurablePipelines.FunctionApp.Orchestrators;

/// <summary>
/// The three orchestrators of the one algorithm (<see cref="PipelineOrchestration"/>). Each adapts the Durable
/// context to the Domain port, runs its entry point, and saves the run log rows it collected; none schedules
/// anything of its own.
/// </summary>
public static class PipelineOrchestrators
{
    /// <summary>One run; instance id = run id. Saves the final record and returns it as the orchestration output.</summary>
    [Function(OrchestratorNames.RunPipeline)]
    public static async Task<PipelineExecution> RunPipeline([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = InputOf<RunPipelineInput>(context);
        var port = new DurableOrchestrationContext(context);
        var startedAt = context.CurrentUtcDateTime;
        PipelineExecution record;
        try
        {
            record = await PipelineOrchestration.RunPipelineAsync(port, input);
        }
        catch (Exception exception)
        {
            // The algorithm turns task failures into values; anything reaching here is an infrastructure failure.
            // Record it so the run id is released, then fail the orchestration loudly.
            Log.RunCrashed(context.CreateReplaySafeLogger(Log.OrchestrationCategory), input.RunId, exception);
            var crashed = RunRecords.Crashed(input, startedAt, context.CurrentUtcDateTime, exception);
            port.ReportStateChange(RunRecords.CrashedChange(crashed));
            await context.CallActivityAsync(nameof(RunStoreActivities.SaveRunRecord), new SaveRunRecordRequest(crashed, port.RunLog));
            throw;
        }

        await context.CallActivityAsync(nameof(RunStoreActivities.SaveRunRecord), new SaveRunRecordRequest(record, port.RunLog));
        return record;
    }

    /// <summary>One pipeline-iterator item, as a sub-orchestration of its run.</summary>
    [Function(OrchestratorNames.RunPipelineItem)]
    public static Task<PipelineResult> RunPipelineItem([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = InputOf<PipelineItemInput>(context);
        return RunAndSaveLogAsync(context, input.RunId, port => PipelineOrchestration.RunPipelineItemAsync(port, input));
    }

    /// <summary>One chunk of a large task iterator, as a sub-orchestration.</summary>
    [Function(OrchestratorNames.RunTaskChunk)]
    public static Task<TaskChunkOutput> RunTaskChunk([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = InputOf<TaskChunkInput>(context);
        return RunAndSaveLogAsync(context, input.Template.RunId, port => PipelineOrchestration.RunTaskChunkAsync(port, input));
    }

    private static async Task<T> RunAndSaveLogAsync<T>(TaskOrchestrationContext context, string runId, Func<DurableOrchestrationContext, Task<T>> body)
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
                await context.CallActivityAsync(nameof(RunStoreActivities.AppendRunLog), new AppendRunLogRequest(runId, port.RunLog));
            }
        }
    }

    private static T InputOf<T>(TaskOrchestrationContext context)
        where T : class =>
        context.GetInput<T>() ?? throw new InvalidOperationException($"orchestration {context.InstanceId} was started without a {typeof(T).Name}");
}
