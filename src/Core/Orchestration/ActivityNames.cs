namespace DurablePipelines.Orchestration;

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
