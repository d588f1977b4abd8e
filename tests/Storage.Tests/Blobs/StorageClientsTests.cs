using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.Storage.Tests.Blobs;

/// <summary>The clients against the pinned Azurite started as a user starts it, without <c>--skipApiVersionCheck</c>.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class StorageClientsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CreateServiceClients_StockAzurite_AcceptsThePinnedVersion()
    {
        var container = StorageClients.CreateBlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(AzuriteFixture.UniqueName("pinned"));
        var queue = StorageClients.CreateQueueServiceClient(azurite.ConnectionString).GetQueueClient(AzuriteFixture.UniqueName("pinned"));

        await container.CreateAsync();
        await queue.CreateAsync();

        Assert.True(await container.ExistsAsync());
        Assert.True(await queue.ExistsAsync());
    }

    [Fact]
    public async Task SdkDefaultVersion_StockAzurite_IsRefused()
    {
        // What the clients would send without the pin, and what a user's Azurite (VS Code, `azurite`) refuses: this
        // fails if the fixture ever skips the version check again, which would hide a missing pin.
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        var queues = new QueueServiceClient(azurite.ConnectionString);

        var blobRefusal = await Assert.ThrowsAsync<RequestFailedException>(() => blobs.GetBlobContainerClient("unpinned").ExistsAsync());
        var queueRefusal = await Assert.ThrowsAsync<RequestFailedException>(() => queues.GetQueueClient("unpinned").ExistsAsync());

        Assert.All([blobRefusal, queueRefusal], e => Assert.Equal((400, "InvalidHeaderValue"), (e.Status, e.ErrorCode)));
        Assert.StartsWith("The API version 2026-10-06 is not supported by Azurite.", blobRefusal.Message, StringComparison.Ordinal);
        Assert.True(new BlobClientOptions().Version > StorageClients.BlobServiceVersion, "the SDK's default is no newer than the pin: the pin can go");
    }
}
