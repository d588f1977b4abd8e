using DurableTask.Core;

namespace DurablePipelines.Durable.Hosting;

/// <summary>A run's orchestration ended without completing (failed or terminated); the message carries the engine's failure details.</summary>
public sealed class OrchestrationFailedException : Exception
{
    /// <summary>Creates the exception without details.</summary>
    public OrchestrationFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public OrchestrationFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public OrchestrationFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal OrchestrationFailedException(string instanceId, OrchestrationState state)
        : base($"orchestration {instanceId} ended {state.OrchestrationStatus}: {state.FailureDetails?.ErrorType}: {state.FailureDetails?.ErrorMessage ?? state.Output}\n{state.FailureDetails?.StackTrace}")
    {
        FailureDetails = state.FailureDetails;
    }

    /// <summary>The engine's failure details, when it recorded any.</summary>
    public FailureDetails? FailureDetails { get; }
}
