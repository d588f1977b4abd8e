using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.Storage.Hosting;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
    /// activity work items at once, logging through <paramref name="loggerFactory"/> (partition leases, queue and table
    /// failures: what an operator needs when a hub stalls).
    /// </summary>
    public static AzureStorageOrchestrationService Create(StorageOptions storage, string hubName, int concurrency, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.UsesIdentity)
        {
            throw new NotSupportedException("the Durable Task engine's storage is reached here by connection string (AzureWebJobsStorage); an account reached by identity is not supported yet");
        }

        return new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = ClientProvider(storage.ConnectionString),
            TaskHubName = hubName,
            LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance,

            // Leases are owned by worker id: two hosts on one machine (the default is the machine name) would each take
            // the other's partitions for their own.
            WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}",
            MaxConcurrentTaskActivityWorkItems = concurrency,
            MaxConcurrentTaskOrchestrationWorkItems = concurrency,

            // The default lets an idle hub's polling back off to 30 s; a run started on an idle hub would wait for it.
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),

            // A host that dies holds its partitions until their leases expire and the messages it had taken until they
            // become visible again: the defaults (30 s leases, 5 minute visibility) stall its runs for 5 minutes on
            // the surviving hosts. Leases of 15 s renewed every 5 s, and one minute of visibility, bring that to about a
            // minute. Work in progress is not affected: the engine renews the visibility of a running activity or
            // orchestration episode every 5 to 30 s, well within the minute.
            LeaseInterval = TimeSpan.FromSeconds(15),
            LeaseRenewInterval = TimeSpan.FromSeconds(5),
            LeaseAcquireInterval = TimeSpan.FromSeconds(5),
            ControlQueueVisibilityTimeout = TimeSpan.FromMinutes(1),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromMinutes(1),
        });
    }

    /// <summary>
    /// <see cref="Create"/> as a host's worker runs it: through <see cref="OutageTolerantOrchestrationService"/>, so an
    /// activity that finished during a storage outage delivers its result once storage is back.
    /// </summary>
    public static IOrchestrationService CreateForWorker(StorageOptions storage, string hubName, int concurrency, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return new OutageTolerantOrchestrationService(Create(storage, hubName, concurrency, loggerFactory), loggerFactory.CreateLogger<OutageTolerantOrchestrationService>());
    }
}
