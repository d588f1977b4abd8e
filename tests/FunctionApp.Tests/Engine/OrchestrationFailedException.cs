using DurableTask.Core;

namespace DurablePipelines.FunctionApp.Tests.Engine;

/// <summary>A run's orchestration ended without completing; the message carries the engine's failure details.</summary>
public sealed class OrchestrationFailedException : Exception
{
    public OrchestrationFailedException()
    {
    }

    public OrchestrationFailedException(string message)
        : base(message)
    {
    }

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
