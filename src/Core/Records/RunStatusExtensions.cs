namespace DurablePipelines.Records;

/// <summary>Helpers over <see cref="RunStatus"/>.</summary>
public static class RunStatusExtensions
{
    /// <summary>True for statuses that never change again.</summary>
    public static bool IsFinal(this RunStatus status) => status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled or RunStatus.Terminated;

    /// <summary>The action of the change that ends something with this final status; it has the status's name.</summary>
    public static StateAction FinishedAction(this RunStatus status) => status switch
    {
        RunStatus.Succeeded => StateAction.Succeeded,
        RunStatus.Failed => StateAction.Failed,
        RunStatus.Cancelled => StateAction.Cancelled,
        RunStatus.Terminated => StateAction.Terminated,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "only a final status ends something"),
    };
}
