using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Orchestration;

/// <summary>
/// A port implementation for replay tests: every activity call waits until the test completes it, so the
/// test decides the completion order; time is a counter; every call is recorded in order; events come when the test
/// raises them.
/// </summary>
internal sealed class ScriptedOrchestrationContext(ScriptedHistory history, string instanceId) : IOrchestrationContext
{
    public string InstanceId { get; } = instanceId;

    public DateTime CurrentUtcDateTime => history.Now();

    public bool IsReplaying => history.Replaying;

    public int MaxConcurrentActivities => history.MaxConcurrentActivities;

    public Guid NewGuid() => history.NewGuid();

    public Task<TResult> CallActivityAsync<TResult>(string name, IActivityInput input)
    {
        history.Calls.Add($"activity {name} {input.Key}");
        var pending = new ScriptedHistory.PendingActivity(name, input, new TaskCompletionSource<object?>());
        history.Pending.Add(pending);
        return Cast<TResult>(pending.Completion.Task);
    }

    public async Task<TResult> CallSubOrchestratorAsync<TResult>(string name, string instanceId, object input)
    {
        history.Calls.Add($"sub-orchestration {name} {instanceId}");
        var child = new ScriptedOrchestrationContext(history, instanceId);
        object result = name switch
        {
            OrchestratorNames.RunPipelineItem => await PipelineOrchestration.RunPipelineItemAsync(child, (PipelineItemInput)input),
            OrchestratorNames.RunTaskChunk => await PipelineOrchestration.RunTaskChunkAsync(child, (TaskChunkInput)input),
            _ => throw new ArgumentException(name, nameof(name)),
        };
        return (TResult)result;
    }

    public Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        history.Calls.Add($"timer {fireAt:O}");
        return Task.CompletedTask;
    }

    /// <summary>Waits until the test raises the event (<see cref="ScriptedHistory.Raise"/>); most tests never do.</summary>
    public Task<TEvent> WaitForExternalEvent<TEvent>(string eventName, CancellationToken cancellationToken) =>
        Cast<TEvent>(history.WaitForEvent(InstanceId, eventName, cancellationToken));

    public void SendEvent(string instanceId, string eventName, object payload) => history.Calls.Add($"event {eventName} {instanceId}");

    public void SetCustomStatus(RunProgress status) => history.StatusUpdates++;

    public void ReportStateChange(StateChange change)
    {
        if (!IsReplaying)
        {
            history.Changes.Add(change);
        }
    }

    private static async Task<T> Cast<T>(Task<object?> task) => (T)(await task)!;
}
