namespace DurablePipelines.Activities;

/// <summary>Small helpers for fire-and-forget work on the activity side.</summary>
internal static class TaskExtensions
{
    /// <summary>Deliberately not awaited: the continuation observes its exception.</summary>
    public static void Forget(this Task task) => _ = task;
}
