using Azure.Core;
using Azure.Core.Pipeline;
using DurablePipelines.Storage.Durable;
using DurablePipelines.Storage.Hosting;
using DurablePipelines.TestSupport.Azurite;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurablePipelines.Storage.Tests.Durable;

/// <summary>The host's client calls on DurableTask.AzureStorage over Azurite, with and without its client lane.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class HostOrchestrationServiceTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ClientCalls_GoThroughTheLaneOnlyWhileTheWorkerIsBusy_IntoTheSameHub()
    {
        var storage = new StorageOptions { ConnectionString = azurite.ConnectionString };
        var hub = AzuriteFixture.UniqueHubName();
        var (workerRequests, laneRequests) = (new Counter(), new Counter());
        var worker = AzureStorageTaskHub.Create(storage, hub, 1, configure: workerRequests.Attach);
        var lane = AzureStorageTaskHub.Create(storage, hub, 1, configure: laneRequests.Attach);
        await worker.CreateIfNotExistsAsync();
        var busy = false;
        var client = new TaskHubClient(new HostOrchestrationService(worker, NullLogger.Instance, new ClientLane(lane, () => busy)));
        try
        {
            // Idle: everything through the worker's backend (whose own sends wake its poller).
            var idle = await client.CreateOrchestrationInstanceAsync("Any", string.Empty, "started-idle", "input");
            await client.RaiseEventAsync(idle, "some-event", "payload");
            Assert.NotNull(await client.GetOrchestrationStateAsync("started-idle"));
            Assert.True(workerRequests.Count > 0);
            Assert.Equal(0, laneRequests.Count);

            // Busy: creates, events, reads and terminations through the lane.
            busy = true;
            var before = workerRequests.Count;
            var underLoad = await client.CreateOrchestrationInstanceAsync("Any", string.Empty, "started-busy", "input");
            await client.RaiseEventAsync(underLoad, "some-event", "payload");
            var read = await client.GetOrchestrationStateAsync("started-idle");
            await client.TerminateInstanceAsync(idle, "done");
            Assert.Equal(before, workerRequests.Count);
            Assert.True(laneRequests.Count > 0);
            Assert.Equal(OrchestrationStatus.Pending, read?.OrchestrationStatus);

            // One hub: the worker's backend sees what the lane created.
            busy = false;
            var created = await client.GetOrchestrationStateAsync("started-busy");
            Assert.Equal(underLoad.ExecutionId, created?.OrchestrationInstance.ExecutionId);
        }
        finally
        {
            await worker.DeleteAsync();
        }
    }

    /// <summary>Counts the storage requests of the backend whose settings it is attached to.</summary>
    private sealed class Counter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Attach(AzureStorageOrchestrationServiceSettings settings) =>
            AzureStorageTaskHub.AddPolicy(settings, this, HttpPipelinePosition.PerRetry);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}
