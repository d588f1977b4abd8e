namespace DurablePipelines.Orchestration;

/// <summary>Names of the orchestrators; hosts register functions under these names.</summary>
public static class OrchestratorNames
{
    /// <summary>One run: the top-level orchestration, instance id = run id.</summary>
    public const string RunPipeline = nameof(RunPipeline);

    /// <summary>One pipeline-iterator item, isolated from its siblings.</summary>
    public const string RunPipelineItem = nameof(RunPipelineItem);

    /// <summary>One chunk of a large task iterator.</summary>
    public const string RunTaskChunk = nameof(RunTaskChunk);
}
