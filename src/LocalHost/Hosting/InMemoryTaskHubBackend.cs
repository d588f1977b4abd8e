using DurableTask.Core;
using Microsoft.DurableTask.Testing.Sidecar;

namespace DurablePipelines.LocalHost.Hosting;

/// <summary>
/// The in-memory backend of <c>dp run --runner durable</c>: the Durable Task engine's history and replay with no
/// storage account. It is the InProcessTestHost package's <see cref="InMemoryOrchestrationService"/> (a preview
/// package, used only for this dry run, never by <c>dp serve</c>), with as many work items at once as the
/// <c>parallel</c> runner has activities in flight instead of one per processor, and with its episodes saved one at
/// a time.
/// </summary>
internal sealed class InMemoryTaskHubBackend(int concurrency) : InMemoryOrchestrationService, IOrchestrationService
{
    private readonly Lock _saving = new();

    int IOrchestrationService.MaxConcurrentTaskOrchestrationWorkItems => concurrency;

    int IOrchestrationService.MaxConcurrentTaskActivityWorkItems => concurrency;

    /// <summary>
    /// Saves an episode while no other episode is being saved. The package saves an episode under its instance's lock
    /// and, still holding it, takes the lock of each instance the episode sends a message to; two episodes saved at
    /// once that message each other (a parent stopping a chunk as the chunk completes) then wait for each other
    /// forever. Its save is synchronous and in memory, so one at a time costs little.
    /// </summary>
    Task IOrchestrationService.CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        lock (_saving)
        {
            return base.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
        }
    }
}
