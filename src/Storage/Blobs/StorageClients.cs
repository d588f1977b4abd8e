using Azure.Core;
using Azure.Identity; // ManagedIdentityCredential and DefaultAzureCredential ship in Azure.Core 1.60.
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurablePipelines.Storage.Hosting;

namespace DurablePipelines.Storage.Blobs;

/// <summary>Storage clients configured the way every adapter here expects them.</summary>
public static class StorageClients
{
    /// <summary>
    /// The blob service version every client sends: the newest that the Azurite pinned in package.json (3.37.0)
    /// accepts, so a stock Azurite works without <c>--skipApiVersionCheck</c>. The SDK would send its own newest
    /// (2026-10-06 for Azure.Storage.Blobs 12.30), which Azurite refuses. Azure accepts every version; raise this
    /// with Azurite, not with the SDK.
    /// </summary>
    public const BlobClientOptions.ServiceVersion BlobServiceVersion = BlobClientOptions.ServiceVersion.V2026_06_06;

    /// <summary>The queue service version every client sends, for the same reason as <see cref="BlobServiceVersion"/>.</summary>
    public const QueueClientOptions.ServiceVersion QueueServiceVersion = QueueClientOptions.ServiceVersion.V2026_06_06;

    /// <summary>A blob client for the configured account, by connection string or by identity.</summary>
    public static BlobServiceClient CreateBlobServiceClient(StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return storage.BlobServiceUri is { } uri
            ? new BlobServiceClient(uri, CreateCredential(storage), BlobOptions())
            : CreateBlobServiceClient(storage.ConnectionString);
    }

    /// <summary>A queue client for the configured account, by connection string or by identity.</summary>
    public static QueueServiceClient CreateQueueServiceClient(StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return storage.QueueServiceUri is { } uri
            ? new QueueServiceClient(uri, CreateCredential(storage), QueueOptions())
            : CreateQueueServiceClient(storage.ConnectionString);
    }

    /// <summary>A blob client for a connection string; no transfer checksums.</summary>
    public static BlobServiceClient CreateBlobServiceClient(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new BlobServiceClient(connectionString, BlobOptions());
    }

    /// <summary>
    /// A queue client for a connection string. Messages are read and written as raw text: the start listener
    /// decodes base64 itself, so it accepts both encodings.
    /// </summary>
    public static QueueServiceClient CreateQueueServiceClient(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new QueueServiceClient(connectionString, QueueOptions());
    }

    /// <summary>The app's managed identity (user-assigned when a client id is given), or the default chain.</summary>
    internal static TokenCredential CreateCredential(StorageOptions storage) =>
        string.Equals(storage.Credential, StorageOptions.ManagedIdentityCredential, StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(storage.ClientId is { Length: > 0 } clientId
                ? ManagedIdentityId.FromUserAssignedClientId(clientId)
                : ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = storage.ClientId });

    private static BlobClientOptions BlobOptions()
    {
        var options = new BlobClientOptions(BlobServiceVersion);

        // Azurite refuses CRC64 (structured message) validation unless started with --loose, and the local host
        // must run on a stock Azurite; HTTPS already protects the bytes on Azure. Say "none" explicitly so a new
        // library default cannot switch it on behind our back.
        options.TransferValidation.Upload.ChecksumAlgorithm = StorageChecksumAlgorithm.None;
        options.TransferValidation.Download.ChecksumAlgorithm = StorageChecksumAlgorithm.None;
        options.TransferValidation.Download.AutoValidateChecksum = false;
        return options;
    }

    // Raw text: the start listener decodes base64 itself, so it accepts both encodings.
    private static QueueClientOptions QueueOptions() => new(QueueServiceVersion) { MessageEncoding = QueueMessageEncoding.None };
}
