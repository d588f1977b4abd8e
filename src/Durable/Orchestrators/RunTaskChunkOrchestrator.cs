using DurablePipelines.Orchestration;
using Microsoft.DurableTask;

namespace DurablePipelines.Durable.Orchestrators;

/// <summary><see cref="OrchestratorNames.RunTaskChunk"/>: one chunk of a large task iterator, as a sub-orchestration.</summary>
public sealed class RunTaskChunkOrchestrator : TaskOrchestrator<TaskChunkInput, TaskChunkOutput>
{
    public override Task<TaskChunkOutput> RunAsync(TaskOrchestrationContext context, TaskChunkInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var chunk = OrchestrationInputs.Require(context, input);
        return SubOrchestrationLog.RunAndAppendAsync(context, chunk.Template.RunId, port => PipelineOrchestration.RunTaskChunkAsync(port, chunk));
    }
}
