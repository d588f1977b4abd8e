using DurablePipelines.Durable.Orchestrators;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace DurablePipelines.FunctionApp.Orchestrators;

/// <summary>The three orchestrator functions: shells over the orchestrators every durable host shares (src/Durable).</summary>
public static class OrchestratorFunctions
{
    /// <summary>One run; instance id = run id (<see cref="RunPipelineOrchestrator"/>).</summary>
    [Function(OrchestratorNames.RunPipeline)]
    public static Task<PipelineExecution> RunPipeline([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new RunPipelineOrchestrator().RunAsync(context, context.GetInput<RunPipelineInput>()!);
    }

    /// <summary>One pipeline-iterator item, as a sub-orchestration of its run (<see cref="RunPipelineItemOrchestrator"/>).</summary>
    [Function(OrchestratorNames.RunPipelineItem)]
    public static Task<PipelineResult> RunPipelineItem([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new RunPipelineItemOrchestrator().RunAsync(context, context.GetInput<PipelineItemInput>()!);
    }

    /// <summary>One chunk of a large task iterator, as a sub-orchestration (<see cref="RunTaskChunkOrchestrator"/>).</summary>
    [Function(OrchestratorNames.RunTaskChunk)]
    public static Task<TaskChunkOutput> RunTaskChunk([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new RunTaskChunkOrchestrator().RunAsync(context, context.GetInput<TaskChunkInput>()!);
    }
}
