using System.Reflection;
using DurablePipelines.FunctionApp.Orchestrators;
using Microsoft.Azure.Functions.Worker;

namespace DurablePipelines.FunctionApp.Tests.Engine;

/// <summary>
/// The Function App's durable functions as the Functions host finds them: every method with a
/// <see cref="FunctionAttribute"/> whose parameters include an orchestration or activity trigger, by function name.
/// </summary>
internal static class AppFunctions
{
    private static readonly MethodInfo[] s_functions = [.. typeof(OrchestratorFunctions).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)];

    /// <summary>Orchestrator functions, by name.</summary>
    public static IReadOnlyDictionary<string, MethodInfo> Orchestrators { get; } = ByTrigger<OrchestrationTriggerAttribute>();

    /// <summary>Activity functions, by name.</summary>
    public static IReadOnlyDictionary<string, MethodInfo> Activities { get; } = ByTrigger<ActivityTriggerAttribute>();

    /// <summary>The parameter carrying the trigger's value.</summary>
    public static ParameterInfo Trigger<TAttribute>(MethodInfo function)
        where TAttribute : Attribute =>
        function.GetParameters().Single(p => p.IsDefined(typeof(TAttribute)));

    private static Dictionary<string, MethodInfo> ByTrigger<TAttribute>()
        where TAttribute : Attribute =>
        s_functions
            .Where(m => m.GetParameters().Any(p => p.IsDefined(typeof(TAttribute))))
            .ToDictionary(m => m.GetCustomAttribute<FunctionAttribute>()!.Name, StringComparer.Ordinal);
}
