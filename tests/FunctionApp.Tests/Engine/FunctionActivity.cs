using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace DurablePipelines.FunctionApp.Tests.Engine;

/// <summary>
/// An <c>[ActivityTrigger]</c> function as an <see cref="ITaskActivity"/>: its class is made per invocation from
/// the app's services (as the worker's function activator does), the trigger parameter gets the input, and a
/// <see cref="FunctionContext"/> parameter gets the invocation's context with its cancellation token.
/// </summary>
internal sealed class FunctionActivity(MethodInfo function, IServiceProvider services, CancellationToken stopping) : ITaskActivity
{
    private readonly ParameterInfo _trigger = AppFunctions.Trigger<ActivityTriggerAttribute>(function);

    public Type InputType => _trigger.ParameterType;

    public Type OutputType => typeof(object);

    public async Task<object?> RunAsync(TaskActivityContext context, object? input)
    {
        await using var scope = services.CreateAsyncScope();
        var target = function.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.DeclaringType!);
        var invocation = new Mock<FunctionContext>();
        invocation.SetupGet(c => c.CancellationToken).Returns(stopping);
        invocation.SetupGet(c => c.InstanceServices).Returns(scope.ServiceProvider);
        invocation.SetupGet(c => c.InvocationId).Returns(context?.InstanceId ?? string.Empty);
        var arguments = function.GetParameters().Select(p => p == _trigger ? input : p.ParameterType == typeof(FunctionContext) ? invocation.Object : Unbindable(p)).ToArray();
        return await FunctionInvocation.InvokeAsync(function, target, arguments);
    }

    private object Unbindable(ParameterInfo parameter) =>
        throw new InvalidOperationException($"{function.Name}: the engine tests bind only the trigger and FunctionContext, not '{parameter.Name}'");
}
