using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.DurableTask;

namespace DurablePipelines.Durable.Orchestrators;

/// <summary>
/// The core's orchestration port over Durable Functions' <see cref="TaskOrchestrationContext"/>. Every call is
/// forwarded unchanged, so Durable's history and replay rules apply to the one algorithm as they would to code
/// written against Durable directly.
/// </summary>
/// <remarks>
/// State changes become run log rows and structured logs. The rows are kept on replay too: an orchestration is
/// re-executed from its start in every episode, so only the last episode holds them all, and the orchestrator
/// saves them once, through an activity, when it ends. The logs go through the context's replay-safe logger, so
/// they are written only when not replaying.
/// </remarks>
internal sealed class DurableOrchestrationContext(TaskOrchestrationContext context) : IOrchestrationContext
{
    private readonly List<StateChange> _runLog = [];

    /// <summary>The state changes reported so far, in order.</summary>
    public IReadOnlyList<StateChange> RunLog => _runLog;

    public string InstanceId => context.InstanceId;

    public DateTime CurrentUtcDateTime => context.CurrentUtcDateTime;

    public bool IsReplaying => context.IsReplaying;

    // Durable bounds concurrency itself (host.json maxConcurrentActivityFunctions, per instance); the algorithm
    // only keeps a task's declared maxConcurrency.
    public int MaxConcurrentActivities => int.MaxValue;

    public Guid NewGuid() => context.NewGuid();

    public Task<TResult> CallActivityAsync<TResult>(string name, IActivityInput input) =>
        context.CallActivityAsync<TResult>(name, input, InfrastructureRetry.Options);

    public Task<TResult> CallSubOrchestratorAsync<TResult>(string name, string instanceId, object input) =>
        context.CallSubOrchestratorAsync<TResult>(name, input, new SubOrchestrationOptions { InstanceId = instanceId });

    public Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) =>
        context.CreateTimer(fireAt, cancellationToken);

    public Task<TEvent> WaitForExternalEvent<TEvent>(string eventName, CancellationToken cancellationToken) =>
        context.WaitForExternalEvent<TEvent>(eventName, cancellationToken);

    public void SendEvent(string instanceId, string eventName, object payload) =>
        context.SendEvent(instanceId, eventName, payload);

    public void SetCustomStatus(RunProgress status) => context.SetCustomStatus(status);

    public void ReportStateChange(StateChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _runLog.Add(change);
        if (context.IsReplaying)
        {
            // Replay rebuilds every earlier row; only new ones are logged, so no logger is made for the rest.
            return;
        }

        var logger = context.CreateReplaySafeLogger(Log.OrchestrationCategory);
        if (change.Error is { } error)
        {
            Log.StateFailed(logger, change.RunId, change.Action, change.Status, change.PipelineResult, change.Task, change.TaskResult, change.Attempt, error.Type, error.Message);
        }
        else
        {
            Log.StateChanged(logger, change.RunId, change.Action, change.Status, change.PipelineResult, change.Task, change.TaskResult, change.Attempt);
        }
    }
}
