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

    /// <summary>
    /// Sent by a pipeline result to a task chunk it runs: start no more task results. The ones not started end
    /// Cancelled with the reason the event carries; the ones running finish, retries included. Unlike
    /// <see cref="Cancel"/> it is no user's: the run's status still comes from its results. Sent when the pipeline
    /// result stops for <c>failFast</c>, and to a task's other running chunks when one of them returns a failed result.
    /// </summary>
    public const string Stop = nameof(Stop);
}
