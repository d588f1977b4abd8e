using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using CoreOrchestrationContext = DurableTask.Core.OrchestrationContext;

namespace DurablePipelines.FunctionApp.Tests.Engine;

/// <summary>
/// The context an <c>[OrchestrationTrigger]</c> function receives, as the Durable Functions worker extension
/// builds it: every call is forwarded to the engine's context, but only from the orchestrator thread (an await
/// that resumes elsewhere is refused, as in production), and the input is converted to whatever type the function
/// asks for, because the function, not the registration, knows its input type.
/// </summary>
internal sealed class FunctionsHostOrchestrationContext(TaskOrchestrationContext inner, DataConverter converter, ILoggerFactory loggerFactory)
    : TaskOrchestrationContext
{
    public override TaskName Name => inner.Name;

    public override string InstanceId => inner.InstanceId;

    public override ParentOrchestrationInstance? Parent => inner.Parent;

    public override DateTime CurrentUtcDateTime => inner.CurrentUtcDateTime;

    public override bool IsReplaying => inner.IsReplaying;

    public override string Version => inner.Version;

    public override IReadOnlyDictionary<string, object?> Properties => inner.Properties;

    protected override ILoggerFactory LoggerFactory => loggerFactory;

    public override T? GetInput<T>()
        where T : default
    {
        EnsureOrchestratorThread();
        var input = inner.GetInput<object>();
        return input switch
        {
            T typed => typed,
            JsonElement json => converter.Deserialize<T>(json.GetRawText()),
            null => default,
            _ => converter.Deserialize<T>(converter.Serialize(input)),
        };
    }

    public override Guid NewGuid()
    {
        EnsureOrchestratorThread();
        return inner.NewGuid();
    }

    public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        EnsureOrchestratorThread();
        return inner.CallActivityAsync<TResult>(name, input, options);
    }

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null)
    {
        EnsureOrchestratorThread();
        return inner.CallSubOrchestratorAsync<TResult>(orchestratorName, input, options);
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        EnsureOrchestratorThread();
        return inner.CreateTimer(fireAt, cancellationToken);
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        EnsureOrchestratorThread();
        return inner.WaitForExternalEvent<T>(eventName, cancellationToken);
    }

    public override void SendEvent(string instanceId, string eventName, object payload)
    {
        EnsureOrchestratorThread();
        inner.SendEvent(instanceId, eventName, payload);
    }

    public override void SetCustomStatus(object? customStatus)
    {
        EnsureOrchestratorThread();
        inner.SetCustomStatus(customStatus);
    }

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true)
    {
        EnsureOrchestratorThread();
        inner.ContinueAsNew(newInput, preserveUnprocessedEvents);
    }

    private static void EnsureOrchestratorThread()
    {
        if (!CoreOrchestrationContext.IsOrchestratorThread)
        {
            throw new InvalidOperationException(
                "an orchestrator function called its context from a thread that is not the orchestrator thread (an await resumed on the thread pool)");
        }
    }
}
