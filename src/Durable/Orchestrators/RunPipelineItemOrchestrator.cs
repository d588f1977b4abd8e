using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.DurableTask;

namespace DurablePipelines.Durable.Orchestrators;

/// <summary><see cref="OrchestratorNames.RunPipelineItem"/>: one pipeline-iterator item, as a sub-orchestration of its run.</summary>
public sealed class RunPipelineItemOrchestrator : TaskOrchestrator<PipelineItemInput, PipelineResult>
{
    public override Task<PipelineResult> RunAsync(TaskOrchestrationContext context, PipelineItemInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var item = OrchestrationInputs.Require(context, input);
        return SubOrchestrationLog.RunAndAppendAsync(context, item.RunId, port => PipelineOrchestration.RunPipelineItemAsync(port, item));
    }
}
