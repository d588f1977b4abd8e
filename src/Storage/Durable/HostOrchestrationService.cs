using DurablePipelines.Storage.Blobs;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.Storage.Durable;

/// <summary>
/// DurableTask.AzureStorage as this project's hosts run it, but for five things: finishing an activity work item
/// (sending its result, or abandoning it) is retried while storage is unavailable, for up to <see cref="Patience"/>,
/// instead of failing at once; a read of an instance's state leaves its input out; the work-item queue is read by
/// <see cref="ActivityFetchers"/> loops at once instead of one; a purge never deletes what another instance still
/// needs (<see cref="InstancePurge"/>); and the host's client calls go through a <see cref="ClientLane"/> of their own
/// while the worker's backend has no free storage request slot.
/// </summary>
/// <remarks>
/// Why the retry: DurableTask.AzureStorage 2.11 tracks each activity it hands out until it is completed or abandoned,
/// and forgets it only when that storage call succeeds. In an outage both calls fail, the activity stays tracked in the
/// process, and every later delivery of its message is refused as "being processed multiple times concurrently": the
/// run waits for that result until the host restarts (seen with Azurite stopped for a minute;
/// <c>StorageOutageTests</c>). Retrying until storage is back delivers the result that was computed, so the activity
/// does not even run again.
/// <para>
/// Why no input: a host reads a run's state for its status and custom status, on every poll of a run it waits for and
/// every API read of a running run, and never for its input. The backend's own read fetches the input too, and a run
/// whose input is larger than a queue message (a 10,000-item iterator's) has it in a compressed blob: each read was a
/// blob download and a decompression, which Azurite, one event loop, served beside the run's own requests (bench
/// scenario 3 counted 0.13 blob downloads per task result of a 10,000-item run before, 0.00 after).
/// </para>
/// <para>
/// Why several fetch loops: the backend hands out activities one queue message per request, from one loop
/// (its <c>TaskActivityDispatcherCount</c> is fixed at 1), so a host starts at most one activity per round trip to
/// storage, however many activity slots are free. On Azurite, busy with the episodes' own requests, that round trip
/// bounded the iterators: a 10,000-item run with 64 in flight ran at 164-169 results/s with the messages of its next
/// results waiting 240 ms in the queue, while its orchestrations and Azurite had time to spare. With 2, 4 and 8 loops
/// (bench scenario 3, one run each) it ran at 211, 194 and 193/s, the 1,000-item run at 115, 115 and 101/s instead of
/// 87-88/s, and results per episode rose so that history events per result fell from 2.4 to 2.1. Each loop takes a
/// free slot before it reads, so the slots still bound the activities running at once; an idle queue is polled by
/// every loop, each backing off to the polling interval.
/// </para>
/// <para>
/// Why the lane: the backend sends at most <c>MaxStorageOperationConcurrency</c> storage requests at once (50 on two
/// cores) and queues the rest. A busy worker keeps every slot taken: in bench scenario 6 its requests each waited
/// 40-80 ms for a slot, and a start's create (an instance read, the start message, the instance row, one after
/// another) waited behind them, while a client with a backend of its own created instances twice as fast. The lane is
/// such a backend. It is used only while the slots are all taken, because a message the worker's backend sends
/// itself also wakes its queue poller at once: on an idle host, a create through another backend waited up to the
/// polling interval (1 s) for the poller, while a busy worker's poller is polling anyway.
/// </para>
/// Everything else is the backend's own behaviour, passed through.
/// </remarks>
public sealed class HostOrchestrationService(IOrchestrationService inner, ILogger logger, ClientLane? lane = null) : IOrchestrationService, IOrchestrationServiceClient, IOrchestrationServicePurgeClient
{
    /// <summary>How many loops read the work-item queue at once.</summary>
    public const int ActivityFetchers = 4;

    /// <summary>How long a finished activity's result is retried before the failure goes to the engine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan s_maxDelay = TimeSpan.FromSeconds(15);

    private readonly IOrchestrationServiceClient _client = inner as IOrchestrationServiceClient
        ?? throw new ArgumentException("the backend is not also its own client", nameof(inner));

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => Math.Max(ActivityFetchers, inner.TaskActivityDispatcherCount);

    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        WhileUnavailableAsync(workItem, "send the result of", () => inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage));

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) =>
        WhileUnavailableAsync(workItem, "abandon", () => inner.AbandonTaskActivityWorkItemAsync(workItem));

    public Task StartAsync() => inner.StartAsync();

    public Task StopAsync() => inner.StopAsync();

    public Task StopAsync(bool isForced) => inner.StopAsync(isForced);

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages, IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage, OrchestrationState orchestrationState) =>
        inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) => Client.CreateTaskOrchestrationAsync(creationMessage);

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses) => Client.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses);

    public Task SendTaskOrchestrationMessageAsync(TaskMessage message) => Client.SendTaskOrchestrationMessageAsync(message);

    public Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages) => Client.SendTaskOrchestrationMessageBatchAsync(messages);

    public Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken) =>
        Client.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken);

    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) => Client.ForceTerminateTaskOrchestrationAsync(instanceId, reason);

    public Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions)
    {
        var client = Client;
        return client is AzureStorageOrchestrationService storage
            ? storage.GetOrchestrationStateAsync(instanceId, allExecutions, fetchInput: false)
            : client.GetOrchestrationStateAsync(instanceId, allExecutions);
    }

    public Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId) => Client.GetOrchestrationStateAsync(instanceId, executionId);

    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) => Client.GetOrchestrationHistoryAsync(instanceId, executionId);

    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType) =>
        _client.PurgeOrchestrationHistoryAsync(thresholdDateTimeUtc, timeRangeFilterType);

    /// <summary>Purges the instance if it has ended, unless its id begins the id of an instance that stays (<see cref="InstancePurge"/>).</summary>
    public Task<PurgeResult> PurgeInstanceStateAsync(string instanceId) =>
        inner is AzureStorageOrchestrationService storage
            ? InstancePurge.PurgeAsync(storage, s => s.OrchestrationInstance.InstanceId == instanceId, timeout: null)
            : Purger.PurgeInstanceStateAsync(instanceId);

    /// <summary>
    /// Purges the ended instances the filter selects, but none whose id begins the id of an instance that stays
    /// (<see cref="InstancePurge"/>); those go once the other has ended and is selected too.
    /// </summary>
    public Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter)
    {
        ArgumentNullException.ThrowIfNull(purgeInstanceFilter);
        if (inner is not AzureStorageOrchestrationService storage)
        {
            return Purger.PurgeInstanceStateAsync(purgeInstanceFilter);
        }

        var (from, to, statuses) = (purgeInstanceFilter.CreatedTimeFrom, purgeInstanceFilter.CreatedTimeTo, purgeInstanceFilter.RuntimeStatus?.ToHashSet());
        return InstancePurge.PurgeAsync(
            storage,
            s => s.CreatedTime >= from && (to is not { } before || s.CreatedTime <= before) && (statuses is null || statuses.Contains(s.OrchestrationStatus)),
            purgeInstanceFilter.Timeout);
    }

    /// <summary>The backend of a client call: the worker's, or the lane while the worker's has no free request slot.</summary>
    private IOrchestrationServiceClient Client => lane is { } open && open.WorkerBusy() ? open.Backend : _client;

    private IOrchestrationServicePurgeClient Purger => inner as IOrchestrationServicePurgeClient
        ?? throw new NotSupportedException($"the backend ({inner.GetType().Name}) cannot purge history");

    private async Task WhileUnavailableAsync(TaskActivityWorkItem workItem, string what, Func<Task> call)
    {
        var deadline = DateTime.UtcNow + Patience;
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception ex) when (StorageFailures.IsUnavailable(ex, CancellationToken.None) && DateTime.UtcNow + delay < deadline)
            {
                Log.ActivityFinishRetried(logger, what, workItem.TaskMessage?.OrchestrationInstance?.InstanceId, delay.TotalSeconds, StorageFailures.Reason(ex));
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxDelay.Ticks));
        }
    }
}
