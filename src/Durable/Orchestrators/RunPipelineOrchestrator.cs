using DurablePipelines.Durable.Activities;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.DurableTask;

namespace DurablePipelines.Durable.Orchestrators;

/// <summary>
/// <see cref="OrchestratorNames.RunPipeline"/>: one run, instance id = run id. Marks the stored record Running while
/// it runs the algorithm (<see cref="PipelineOrchestration.RunPipelineAsync"/>) over the context, saves the final
/// record with the run log rows it collected, and returns the record as the orchestration's output.
/// </summary>
public sealed class RunPipelineOrchestrator : TaskOrchestrator<RunPipelineInput, PipelineExecution>
{
    public override async Task<PipelineExecution> RunAsync(TaskOrchestrationContext context, RunPipelineInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var run = OrchestrationInputs.Require(context, input);
        var port = new DurableOrchestrationContext(context);
        var startedAt = context.CurrentUtcDateTime;
        PipelineExecution record;
        try
        {
            // The record turns Running beside the first tasks, not before them: waiting for it first added a round
            // trip through the queues to every run (a chain of 30 on Azurite: 17 ms, most of a step). The final
            // record waits for it, so the two writes never cross.
            var marked = context.CallActivityAsync(RunStoreActivities.MarkRunStarted, new MarkRunStartedRequest(run.RunId, run.CreatedAt, startedAt), InfrastructureRetry.Options);
            record = await PipelineOrchestration.RunPipelineAsync(port, run);
            await marked;
        }
        catch (Exception exception)
        {
            // The algorithm turns task failures into values; anything reaching here is an infrastructure failure.
            // Record it so the run id is released, then fail the orchestration loudly.
            Log.RunCrashed(context.CreateReplaySafeLogger(Log.OrchestrationCategory), run.RunId, exception);
            var crashed = RunRecords.Crashed(run, startedAt, context.CurrentUtcDateTime, exception);
            port.ReportStateChange(RunRecords.CrashedChange(crashed));
            await context.CallActivityAsync(RunStoreActivities.SaveRunRecord, new SaveRunRecordRequest(crashed, port.RunLog), InfrastructureRetry.Options);
            throw;
        }

        await context.CallActivityAsync(RunStoreActivities.SaveRunRecord, new SaveRunRecordRequest(record, port.RunLog), InfrastructureRetry.Options);
        return record;
    }
}
