using Microsoft.DurableTask;

namespace DurablePipelines.Durable.Orchestrators;

/// <summary>An orchestration started without its input is a host's bug: it fails loudly, naming what was missing.</summary>
internal static class OrchestrationInputs
{
    public static T Require<T>(TaskOrchestrationContext context, T? input)
        where T : class =>
        input ?? throw new InvalidOperationException($"orchestration {context.InstanceId} was started without a {typeof(T).Name}");
}
