using System.Reflection;

namespace DurablePipelines.FunctionApp.Tests.Engine;

/// <summary>Calls a function method as the worker does and awaits what it returns.</summary>
internal static class FunctionInvocation
{
    public static async Task<object?> InvokeAsync(MethodInfo function, object? target, object?[] arguments)
    {
        // No TargetInvocationException wrapper: the engine must see the function's own exception.
        var returned = function.Invoke(target, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
        if (returned is not Task task)
        {
            return returned;
        }

        await task;
        return function.ReturnType.IsGenericType ? function.ReturnType.GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
    }
}
