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

/// <summary>Names of the activities; hosts register functions under these names.</summary>
public static class ActivityNames
{
    /// <summary>Runs one attempt of one task result's handler.</summary>
    public const string RunTaskResult = nameof(RunTaskResult);

    /// <summary>Lists an iterator's items through an <c>IIteratorSource</c>, or reads a path through stored payloads.</summary>
    public const string ResolveIterator = nameof(ResolveIterator);

    /// <summary>Stores a large payload and returns its reference.</summary>
    public const string StorePayload = nameof(StorePayload);
}

/// <summary>Names of the external events an orchestration listens to.</summary>
public static class OrchestrationEvents
{
    /// <summary>Stop scheduling: not-started task results end Cancelled and the run ends Terminated.</summary>
    public const string Cancel = nameof(Cancel);
}
