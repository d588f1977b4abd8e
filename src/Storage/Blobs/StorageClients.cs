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

    // Background retries, spelled out so that a new SDK default cannot shorten them: the storage SDKs' own
    // exponential policy (0.8 s doubling, capped at a minute, 5 retries: about 25 s plus jitter).
    private const int BackgroundRetries = 5;
    private static readonly TimeSpan s_backgroundDelay = TimeSpan.FromSeconds(0.8);
    private static readonly TimeSpan s_backgroundMaxDelay = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_backgroundNetworkTimeout = TimeSpan.FromSeconds(100);

    // Interactive retries start fast and stay short: the whole call has StorageOptions.InteractiveTimeout.
    private static readonly TimeSpan s_interactiveDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_interactiveMaxDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>A blob client for the configured account, by connection string or by identity, retrying for <paramref name="use"/>.</summary>
    public static BlobServiceClient CreateBlobServiceClient(StorageOptions storage, StorageUse use = StorageUse.Background)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var options = BlobOptions(storage, use);
        return storage.BlobServiceUri is { } uri
            ? new BlobServiceClient(uri, CreateCredential(storage), options)
            : new BlobServiceClient(Required(storage.ConnectionString), options);
    }

    /// <summary>A queue client for the configured account, by connection string or by identity, retrying for <paramref name="use"/>.</summary>
    public static QueueServiceClient CreateQueueServiceClient(StorageOptions storage, StorageUse use = StorageUse.Background)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var options = QueueOptions(storage, use);
        return storage.QueueServiceUri is { } uri
            ? new QueueServiceClient(uri, CreateCredential(storage), options)
            : new QueueServiceClient(Required(storage.ConnectionString), options);
    }

    /// <summary>A blob client for a connection string, retrying for background work; no transfer checksums.</summary>
    public static BlobServiceClient CreateBlobServiceClient(string connectionString) =>
        CreateBlobServiceClient(new StorageOptions { ConnectionString = Required(connectionString) });

    /// <summary>
    /// A queue client for a connection string, retrying for background work. Messages are read and written as raw
    /// text: the start listener decodes base64 itself, so it accepts both encodings.
    /// </summary>
    public static QueueServiceClient CreateQueueServiceClient(string connectionString) =>
        CreateQueueServiceClient(new StorageOptions { ConnectionString = Required(connectionString) });

    /// <summary>The app's managed identity (user-assigned when a client id is given), or the default chain.</summary>
    internal static TokenCredential CreateCredential(StorageOptions storage) =>
        string.Equals(storage.Credential, StorageOptions.ManagedIdentityCredential, StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(storage.ClientId is { Length: > 0 } clientId
                ? ManagedIdentityId.FromUserAssignedClientId(clientId)
                : ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = storage.ClientId });

    private static string Required(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return connectionString;
    }

    private static BlobClientOptions BlobOptions(StorageOptions storage, StorageUse use)
    {
        var options = new BlobClientOptions(BlobServiceVersion);

        // Azurite refuses CRC64 (structured message) validation unless started with --loose, and the local host
        // must run on a stock Azurite; HTTPS already protects the bytes on Azure. Say "none" explicitly so a new
        // library default cannot switch it on behind our back.
        options.TransferValidation.Upload.ChecksumAlgorithm = StorageChecksumAlgorithm.None;
        options.TransferValidation.Download.ChecksumAlgorithm = StorageChecksumAlgorithm.None;
        options.TransferValidation.Download.AutoValidateChecksum = false;
        ConfigureRetry(options.Retry, storage, use);
        return options;
    }

    private static QueueClientOptions QueueOptions(StorageOptions storage, StorageUse use)
    {
        // Raw text: the start listener decodes base64 itself, so it accepts both encodings.
        var options = new QueueClientOptions(QueueServiceVersion) { MessageEncoding = QueueMessageEncoding.None };
        ConfigureRetry(options.Retry, storage, use);
        return options;
    }

    private static void ConfigureRetry(RetryOptions retry, StorageOptions storage, StorageUse use)
    {
        retry.Mode = RetryMode.Exponential;
        if (use == StorageUse.Interactive)
        {
            retry.MaxRetries = storage.InteractiveRetries;
            retry.Delay = s_interactiveDelay;
            retry.MaxDelay = s_interactiveMaxDelay;
            retry.NetworkTimeout = storage.InteractiveTimeout;
        }
        else
        {
            retry.MaxRetries = BackgroundRetries;
            retry.Delay = s_backgroundDelay;
            retry.MaxDelay = s_backgroundMaxDelay;
            retry.NetworkTimeout = s_backgroundNetworkTimeout;
        }
    }
}
