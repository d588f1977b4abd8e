using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Runners;

/// <summary>
/// The port implemented in process: activities on the thread pool, each started as it is called; sub-orchestrations
/// as plain calls on the same loop; events, the cancel and progress through the run's <see cref="InProcessRuntime"/>.
/// </summary>
internal sealed class InProcessOrchestrationContext(InProcessRuntime runtime, string instanceId) : IOrchestrationContext
{
    public string InstanceId { get; } = instanceId;

    public DateTime CurrentUtcDateTime => runtime.Time.GetUtcNow().UtcDateTime;

    public bool IsReplaying => false;

    public int MaxConcurrentActivities => runtime.MaxConcurrentActivities;

    public Guid NewGuid() => Guid.NewGuid();

    public Task<TResult> CallActivityAsync<TResult>(string name, IActivityInput input) =>
        ActivityCall<TResult>.Start(runtime.Activities, name, input, runtime.Cancellation.HandlerToken);

    public async Task<TResult> CallSubOrchestratorAsync<TResult>(string name, string instanceId, object input)
    {
        var child = new InProcessOrchestrationContext(runtime, instanceId);
        object result = name switch
        {
            OrchestratorNames.RunPipelineItem => await PipelineOrchestration.RunPipelineItemAsync(child, (PipelineItemInput)input),
            OrchestratorNames.RunTaskChunk => await PipelineOrchestration.RunTaskChunkAsync(child, (TaskChunkInput)input),
            _ => throw new ArgumentException($"unknown orchestrator '{name}'", nameof(name)),
        };
        return (TResult)result;
    }

    public Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        var wait = fireAt - CurrentUtcDateTime;
        return Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, runtime.Time, cancellationToken);
    }

    public Task<TEvent> WaitForExternalEvent<TEvent>(string eventName, CancellationToken cancellationToken) =>
        (eventName, typeof(TEvent)) switch
        {
            (OrchestrationEvents.Cancel, var t) when t == typeof(string) => (Task<TEvent>)(object)runtime.Cancellation.WaitAsync(cancellationToken),
            (OrchestrationEvents.Stop, var t) when t == typeof(string) => (Task<TEvent>)(object)runtime.Stops.WaitAsync(InstanceId, cancellationToken),
            (OrchestrationEvents.Suspension, var t) when t == typeof(bool) => (Task<TEvent>)(object)runtime.Suspension.WaitAsync(InstanceId, cancellationToken),
            (OrchestrationEvents.RunEvent, var t) when t == typeof(RunEventMessage) => (Task<TEvent>)(object)runtime.Events.WaitAsync(InstanceId, cancellationToken),
            (OrchestrationEvents.Repair, var t) when t == typeof(RepairMessage) => (Task<TEvent>)(object)runtime.Repairs.WaitAsync(InstanceId, cancellationToken),
            (OrchestrationEvents.RepairWait, var t) when t == typeof(RepairWaitNotice) => (Task<TEvent>)(object)runtime.RepairWaits.WaitAsync(InstanceId, cancellationToken),
            _ => throw new ArgumentException($"unknown event '{eventName}' of {typeof(TEvent).Name}", nameof(eventName)),
        };

    public void SendEvent(string instanceId, string eventName, object payload)
    {
        // Every orchestration of an in-process run already listens to the run's one cancel, suspension and events.
        if (eventName is OrchestrationEvents.Cancel or OrchestrationEvents.Suspension or OrchestrationEvents.RunEvent)
        {
            return;
        }

        switch (eventName, payload)
        {
            case (OrchestrationEvents.Stop, string reason):
                runtime.Stops.Send(instanceId, reason);
                break;
            case (OrchestrationEvents.Repair, RepairMessage repair):
                runtime.Repairs.Send(instanceId, repair);
                break;
            case (OrchestrationEvents.RepairWait, RepairWaitNotice notice):
                runtime.RepairWaits.Send(instanceId, notice);
                break;
            default:
                throw new ArgumentException($"unknown event '{eventName}' with a {payload?.GetType().Name ?? "null"} payload", nameof(eventName));
        }
    }

    public void SetCustomStatus(RunProgress status) => runtime.Reporter.Progress(status);

    public void SetCustomStatus(Func<RunProgress> status) => runtime.Progress.Publish(status);

    public void ReportStateChange(StateChange change) => runtime.Reporter.StateChanged(change);
}
