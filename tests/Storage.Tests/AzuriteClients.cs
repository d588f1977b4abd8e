using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.Storage.Tests;

/// <summary>Clients for the fixture's Azurite, configured as the adapters expect them.</summary>
internal static class AzuriteClients
{
    public static BlobServiceClient Blobs(this AzuriteFixture azurite) => StorageClients.CreateBlobServiceClient(azurite.ConnectionString);

    public static QueueServiceClient Queues(this AzuriteFixture azurite) => StorageClients.CreateQueueServiceClient(azurite.ConnectionString);

    /// <summary>A container no other test uses (not created yet: the stores create what they need).</summary>
    public static BlobContainerClient NewContainer(this AzuriteFixture azurite, string prefix) =>
        azurite.Blobs().GetBlobContainerClient(AzuriteFixture.UniqueName(prefix));
}
