namespace DurablePipelines.Records;

/// <summary>
/// The <see cref="TaskError.Type"/>s of failures the pipelines themselves record (docs/api.md, TaskError); a handler's
/// failure carries its exception's .NET type instead.
/// </summary>
public static class TaskErrorTypes
{
    /// <summary>Work that never started, or was stopped: a parent failed, <c>failFast</c>, a ttl or a cancel.</summary>
    public const string Cancelled = "DurablePipelines.Cancelled";

    /// <summary>An iterator gave no items: its source failed, or its path found no array.</summary>
    public const string IteratorFailed = "DurablePipelines.IteratorFailed";

    /// <summary>A run admitted before a restart that cannot start: the run as admitted is no longer stored.</summary>
    public const string ResumeFailed = "DurablePipelines.ResumeFailed";
}
