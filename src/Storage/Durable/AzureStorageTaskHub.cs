using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.Storage.Hosting;
using DurableTask.AzureStorage;
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

    /// <summary>Clients of the account for the engine, by connection string (new client options on every call).</summary>
    public static StorageAccountClientProvider ClientProvider(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(connectionString, new BlobClientOptions(StorageClients.BlobServiceVersion)),
            StorageServiceClientProvider.ForQueue(connectionString, new QueueClientOptions(StorageClients.QueueServiceVersion)),
            StorageServiceClientProvider.ForTable(connectionString, new TableClientOptions(TableServiceVersion)));
    }

    /// <summary>
    /// Adds <paramref name="policy"/> to the blob, queue and table clients the backend of <paramref name="settings"/> will
    /// make: to the options its client provider hands out, which the backend reads when it is constructed and to which
    /// it then adds its own policies (its request limit among them), so a per-call policy added here runs outside them.
    /// Each <see cref="ClientProvider"/> has options of its own, so the policy reaches this backend only.
    /// </summary>
    public static void AddPolicy(AzureStorageOrchestrationServiceSettings settings, HttpPipelinePolicy policy, HttpPipelinePosition position)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var provider = settings.StorageAccountClientProvider ?? throw new ArgumentException("the settings have no client provider", nameof(settings));
        provider.Blob.CreateOptions().AddPolicy(policy, position);
        provider.Queue.CreateOptions().AddPolicy(policy, position);
        provider.Table.CreateOptions().AddPolicy(policy, position);
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
            LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance,

            // Leases are owned by worker id: two hosts on one machine (the default is the machine name) would each take
            // the other's partitions for their own.
            WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}",
            MaxConcurrentTaskActivityWorkItems = concurrency,
            MaxConcurrentTaskOrchestrationWorkItems = concurrency,

            // The default lets an idle hub's polling back off to 30 s; a run started on an idle hub would wait for it.
            // Messages this process sends wake its own pollers at once, so a longer interval only saves idle requests.
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),

            // An orchestration stays in memory between episodes instead of reloading and replaying its history for
            // each batch of results. Without it, history reads were 0.85 table queries per task result (each a scan
            // of the History table in Azurite, so runs slowed as the table grew: 28 s to 79 s per 1,000-item run
            // over 20 runs); a 1,000-item iterator ran at 37/s without and 62/s with, same machine, back to back
            // (bench scenario 3). An idle session is unloaded after ExtendedSessionIdleTimeout.
            ExtendedSessionsEnabled = true,

            // A resident session holds one of the `concurrency` orchestration slots while it waits: a short idle
            // timeout gives the slot back soon to instances waiting for one (a 10,000-item iterator has 21).
            ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(5),

            // One control queue: every orchestration of this process is polled by one loop, whose batches then carry
            // results of several instances (chunks of one run), and three idle queues stop being polled. Storage
            // requests per task result fell from 8.3-8.8 to 7.8-8.0, and a 1,000-item iterator ran 22-24% faster in
            // two back-to-back pairs (62/s vs 50/s, 45/s vs 37/s). The partition count is fixed when a hub is
            // created; a hub made with 4 keeps routing by its own count.
            PartitionCount = 1,

            // The backend stops fetching control-queue messages while this many are dequeued and not yet deleted,
            // sleeping 1 s at a time. With extended sessions every resident instance holds up to a batch (32): the
            // default of 64 would pause the fetch loop whenever three chunks of an iterator are mid-episode.
            ControlQueueBufferThreshold = 1000,

            // Takeover after a host is killed: its partition lease expires LeaseInterval after its last renewal, and
            // another host looks every LeaseAcquireInterval (the table partition manager renews on that beat too),
            // so another host owns the partitions within 15 + 5 = 20 s (the defaults, 30 + 10 s, give 40 s). A lease
            // just claimed lasts 1 minute whatever is set here. Three renewals fit in one lease, so a renewal that
            // misses its 2 s PartitionTableOperationTimeout on a busy Azurite does not lose the partition.
            LeaseInterval = TimeSpan.FromSeconds(15),
            LeaseRenewInterval = TimeSpan.FromSeconds(5),
            LeaseAcquireInterval = TimeSpan.FromSeconds(5),

            // The app lease arbitrates between two different apps (deployment slots) sharing a hub; its id comes from
            // the app name, which defaults to the machine name here, so a host on another machine is a "different
            // app": it would wait for the dead host's 60 s app lease and then retry only every 5 minutes
            // (AppLeaseOptions.AcquireInterval) before taking any partition. Every host here runs the same app.
            UseAppLease = false,

            // Messages a host had taken when it died stay invisible this long (default 5 minutes) before another host,
            // or the same one restarted, can take them: one minute keeps a killed host's runs paused about a minute
            // (ServeCommandCrashTests). Work in progress keeps its messages: the engine renews a running activity's
            // message every 30 s and an orchestration episode's every 5 to 30 s, well within the minute.
            ControlQueueVisibilityTimeout = TimeSpan.FromMinutes(1),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromMinutes(1),

            // A create refused because the instance has not ended says so (OrchestrationAlreadyExistsException)
            // instead of returning as if it had created it (TaskHub waits for the earlier run to end).
            ThrowExceptionOnInvalidDedupeStatus = true,
        };
        configure?.Invoke(settings);
        return new AzureStorageOrchestrationService(settings);
    }

    /// <summary>
    /// <see cref="Create"/> as a host's worker runs it: through <see cref="HostOrchestrationService"/>, so an
    /// activity that finished during a storage outage delivers its result once storage is back and a state read does
    /// not download the run's input; at most <paramref name="maxActivities"/> activity and
    /// <paramref name="maxOrchestrations"/> orchestration work items at once. A second backend on the same hub, the
    /// <see cref="ClientLane"/>, carries the host's client calls while every storage request slot of the worker's is
    /// taken. <paramref name="configure"/> sees both backends' settings last.
    /// </summary>
    public static HostOrchestrationService CreateForWorker(
        StorageOptions storage,
        string hubName,
        int maxActivities,
        int maxOrchestrations,
        ILoggerFactory loggerFactory,
        Action<AzureStorageOrchestrationServiceSettings>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var gauge = new RequestGauge();
        var slots = 0;
        var backend = Create(storage, hubName, maxActivities, loggerFactory, settings =>
        {
            settings.MaxConcurrentTaskOrchestrationWorkItems = maxOrchestrations;
            AddPolicy(settings, gauge, HttpPipelinePosition.PerCall);
            configure?.Invoke(settings);
            slots = settings.MaxStorageOperationConcurrency;
        });

        // Under load the worker keeps all its slots taken (on two cores 50, each waited for 40-80 ms on Azurite in
        // bench scenario 6), and a start's create, three requests one after another, waited behind them.
        var lane = new ClientLane(Create(storage, hubName, maxActivities, loggerFactory, configure), () => gauge.Count >= slots);
        return new HostOrchestrationService(backend, loggerFactory.CreateLogger<HostOrchestrationService>(), lane);
    }
}
