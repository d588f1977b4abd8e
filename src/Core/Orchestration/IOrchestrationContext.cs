using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>
/// The port the one orchestration algorithm is written against. It mirrors Durable Functions'
/// <c>TaskOrchestrationContext</c>: the Durable orchestrator adapts that type to this one, the local runners
/// implement it in process. Every implementation must keep orchestration code deterministic: continuations
/// run one at a time, and time and ids come only from here.
/// </summary>
public interface IOrchestrationContext
{
    /// <summary>This orchestration instance's id (the run id for the top-level orchestration).</summary>
    string InstanceId { get; }

    /// <summary>The replay-safe current time.</summary>
    DateTime CurrentUtcDateTime { get; }

    /// <summary>True while the orchestration is replaying recorded history; side effects must not repeat.</summary>
    bool IsReplaying { get; }

    /// <summary>
    /// How many activities this runner executes at once for a run (1 for <c>eager</c>); <see cref="int.MaxValue"/> when
    /// the runner sets no limit (Durable, where the engine bounds activities itself). The algorithm keeps no more calls
    /// of the run in flight than this, sub-orchestrations included, so a runner starts every call as it is made.
    /// </summary>
    int MaxConcurrentActivities { get; }

    /// <summary>A replay-safe new GUID.</summary>
    Guid NewGuid();

    /// <summary>
    /// Calls an activity: once called it runs, whatever the orchestration sees afterwards. The input's
    /// <see cref="IActivityInput.Key"/> identifies the call across replays.
    /// </summary>
    Task<TResult> CallActivityAsync<TResult>(string name, IActivityInput input);

    /// <summary>Runs a sub-orchestration with the given instance id and waits for its output.</summary>
    Task<TResult> CallSubOrchestratorAsync<TResult>(string name, string instanceId, object input);

    /// <summary>A durable timer firing at <paramref name="fireAt"/>; cancelling it ends the wait with <see cref="TaskCanceledException"/>.</summary>
    Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);

    /// <summary>Waits for an external event sent to this instance: <see cref="OrchestrationEvents.Cancel"/> or <see cref="OrchestrationEvents.Stop"/>.</summary>
    Task<TEvent> WaitForExternalEvent<TEvent>(string eventName, CancellationToken cancellationToken);

    /// <summary>Sends an event to another instance (forwarding a cancel or a stop to sub-orchestrations).</summary>
    void SendEvent(string instanceId, string eventName, object payload);

    /// <summary>Publishes live progress (Durable's custom status).</summary>
    void SetCustomStatus(RunProgress status);

    /// <summary>
    /// Publishes live progress that <paramref name="status"/> builds, as orchestration code. A runner may build it
    /// later, once per scheduling step however often it was published in that step (the in-process runners, where
    /// the orchestration publishes after every task result); Durable keeps only the last custom status of an
    /// episode, so this default builds it at once.
    /// </summary>
    void SetCustomStatus(Func<RunProgress> status)
    {
        ArgumentNullException.ThrowIfNull(status);
        SetCustomStatus(status());
    }

    /// <summary>
    /// Hands a status change to the run's reporter. Implementations deliver each change once per real
    /// execution and never during replay, in the order reported.
    /// </summary>
    void ReportStateChange(StateChange change);
}
