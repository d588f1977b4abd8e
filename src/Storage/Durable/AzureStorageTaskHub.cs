using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.Storage.Hosting;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.Storage.Durable;

/// <summary>
/// The Durable Task engine's Azure Storage backend (the one Durable Functions uses by default: control queues,
/// work-item queue, history and instance tables, partition leases) on the account every host reads, with its own
/// clients sending the same pinned API versions as the app's, so a stock Azurite accepts them.
/// </summary>
public static class AzureStorageTaskHub
{
    /// <summary>The task hub of host.json, so local runs on storage use the hub the portal and monitors read.</summary>
    public const string DefaultHubName = "DurablePipelines";

    /// <summary>
    /// The newest table service version Azure.Data.Tables 12.11 (DurableTask.AzureStorage's) knows, which Azurite 3.37
    /// accepts; pinned so that a newer Tables package cannot move it past Azurite unnoticed.
    /// </summary>
    public const TableClientOptions.ServiceVersion TableServiceVersion = TableClientOptions.ServiceVersion.V2020_12_06;

    /// <summary>Clients of the account for the engine, by connection string.</summary>
    public static StorageAccountClientProvider ClientProvider(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(connectionString, new BlobClientOptions(StorageClients.BlobServiceVersion)),
            StorageServiceClientProvider.ForQueue(connectionString, new QueueClientOptions(StorageClients.QueueServiceVersion)),
            StorageServiceClientProvider.ForTable(connectionString, new TableClientOptions(TableServiceVersion)));
    }

    /// <summary>
    /// The backend over the configured account (a connection string: an account reached by identity also needs its
    /// table endpoint, which the options do not carry), with at most <paramref name="concurrency"/> orchestration and
    /// activity work items at once, logging through <paramref name="loggerFactory"/> when given (the backend's own
    /// warnings: messages it could not delete, leases lost, poison messages). <paramref name="configure"/> sees the
    /// settings chosen here last (a benchmark or a test may change them).
    /// </summary>
    public static AzureStorageOrchestrationService Create(
        StorageOptions storage,
        string hubName,
        int concurrency,
        ILoggerFactory? loggerFactory = null,
        Action<AzureStorageOrchestrationServiceSettings>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.UsesIdentity)
        {
            throw new NotSupportedException("the Durable Task engine's storage is reached here by connection string (AzureWebJobsStorage); an account reached by identity is not supported yet");
        }

        var settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = ClientProvider(storage.ConnectionString),
            TaskHubName = hubName,
            LoggerFactory = loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            MaxConcurrentTaskActivityWorkItems = concurrency,
            MaxConcurrentTaskOrchestrationWorkItems = concurrency,

            // The default lets an idle hub's polling back off to 30 s; a run started on an idle hub would wait for it.
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
        };
        configure?.Invoke(settings);
        return new AzureStorageOrchestrationService(settings);
    }
}
