namespace DurablePipelines.Records;

/// <summary>Service keys of the run stores a host registers besides its default <see cref="IRunStore"/>.</summary>
public static class RunStoreKeys
{
    /// <summary>
    /// The key of the <see cref="IRunStore"/> the HTTP API answers from while someone waits for the answer. Its
    /// calls give up within a bounded time and throw <see cref="RunStoreUnavailableException"/> when storage cannot
    /// answer, so a request gets a 503 at once instead of waiting out a long retry budget. The unkeyed store serves
    /// background work (running runs, queue starts) and may retry patiently. <c>AddDurablePipelines</c> registers
    /// the unkeyed store under this key too; a host that replaces the unkeyed store after a storage adapter
    /// registered its own interactive one replaces this one as well.
    /// </summary>
    public const string Interactive = "interactive";
}
