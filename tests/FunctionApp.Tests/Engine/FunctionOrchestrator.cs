using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.FunctionApp.Tests.Engine;

/// <summary>
/// An <c>[OrchestrationTrigger]</c> function as an <see cref="ITaskOrchestrator"/>: the function receives the
/// host's context (<see cref="FunctionsHostOrchestrationContext"/>) and reads its input itself, as on Azure.
/// </summary>
internal sealed class FunctionOrchestrator(MethodInfo function, DataConverter converter, ILoggerFactory loggerFactory) : ITaskOrchestrator
{
    public Type InputType => typeof(object);

    public Type OutputType => typeof(object);

    public Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
    {
        if (!function.IsStatic || function.GetParameters().Length != 1)
        {
            throw new InvalidOperationException($"{function.Name}: the engine tests call static orchestrator functions whose only parameter is the [{nameof(OrchestrationTriggerAttribute)}] context");
        }

        return FunctionInvocation.InvokeAsync(function, null, [new FunctionsHostOrchestrationContext(context, converter, loggerFactory)]);
    }
}
