namespace DurablePipelines.Orchestration;

/// <summary>Why an orchestration stopped scheduling new work.</summary>
public enum StopReason
{
    /// <summary>It did not.</summary>
    None,

    /// <summary>A task failed in a pipeline with <c>failFast</c>.</summary>
    FailFast,

    /// <summary>A user cancelled the run.</summary>
    Cancelled,

    /// <summary>The run's ttl expired.</summary>
    Ttl,
}
