using System.Diagnostics;
using Azure.Core;
using Azure.Data.Tables;
using DurablePipelines.Durable.Hosting;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Storage.Durable;
using DurablePipelines.Storage.Hosting;
using DurableTask.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using CoreDataConverter = DurableTask.Core.Serializing.DataConverter;
using SdkDataConverter = Microsoft.DurableTask.DataConverter;

namespace DurablePipelines.Bench.Harness.Engine;

/// <summary>
/// The pipeline engine in this process, as <c>dp run --runner durable --storage</c> composes it: the app's
/// orchestrators and activities on DurableTask.AzureStorage over Azurite (<see cref="AzureStorageTaskHub.CreateForWorker"/>,
/// as a host composes it),
/// records and payloads in its blobs, the no-op handler added, and the hand-written floor orchestrators registered on
/// the same hub, so a figure and its floor share the worker, the queues and the settings. One task hub per instance.
/// </summary>
internal sealed class EngineHost : IAsyncDisposable
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(50);

    // 10,000 calls queued at once take Azurite well over 10 minutes (each dequeue sorts every visible message).
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(60);

    private readonly ServiceProvider _services;
    private readonly CancellationTokenSource _stopping;
    private readonly TaskHub _hub;
    private readonly TaskHubClient _client;
    private readonly TableClient _history;

    private EngineHost(ServiceProvider services, CancellationTokenSource stopping, TaskHub hub, TaskHubClient client, TableClient history, string hubName, EngineLog log, RequestCounter requests)
    {
        Requests = requests;
        _services = services;
        Log = log;
        _stopping = stopping;
        _hub = hub;
        _client = client;
        _history = history;
        HubName = hubName;
    }

    public string HubName { get; }

    /// <summary>The storage requests the engine's backend sent so far.</summary>
    public RequestCounter Requests { get; }

    /// <summary>The engine's warnings so far.</summary>
    public EngineLog Log { get; }

    /// <summary>The knobs every run gets (the chunk size bounds an orchestration's history).</summary>
    public OrchestrationSettings Settings { get; } = new PipelineOptions().ToSettings();

    /// <summary>A host on the hub <paramref name="hubName"/>; <paramref name="publishEvents"/> is <c>Pipelines:Storage:PublishEvents</c>.</summary>
    public static async Task<EngineHost> StartAsync(string connectionString, string hubName, bool publishEvents = true)
    {
        var log = new EngineLog();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageOptions.AccountSetting] = connectionString,
            [$"{StorageOptions.Section}:{nameof(StorageOptions.PublishEvents)}"] = publishEvents ? "true" : "false",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.ClearProviders().AddProvider(log).SetMinimumLevel(LogLevel.Information))
            .AddDurablePipelines()
            .AddPipelineTask<NoOpTask>(NoOpTask.Name)
            .AddAzureStoragePipelines(configuration)
            .AddDurableActivities()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var stopping = new CancellationTokenSource();
        var storage = new StorageOptions().Bind(configuration);
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var requests = new RequestCounter();
        // As a host's worker runs it, with the requests counted (the worker's and its client lane's).
        var parallelism = new PipelineOptions().MaxParallelism;
        var service = AzureStorageTaskHub.CreateForWorker(storage, hubName, parallelism, parallelism, loggers, settings =>
        {
            AzureStorageTaskHub.AddPolicy(settings, requests, HttpPipelinePosition.PerRetry);
            HubSettingsOverride.Apply(settings);
        });
        var registry = PipelineTaskHub.CreateRegistry(services, stopping.Token)
            .Orchestrator(FanOutFloorOrchestrator.Name, new FanOutFloorOrchestrator())
            .Orchestrator(ChainFloorOrchestrator.Name, new ChainFloorOrchestrator());
        var hub = await TaskHub.StartAsync(service, registry, PipelineTaskHub.Converter, loggers);
        var client = new TaskHubClient(service, new Converter(PipelineTaskHub.Converter), loggers);
        var history = new TableServiceClient(connectionString, new TableClientOptions(AzureStorageTaskHub.TableServiceVersion))
            .GetTableClient(hubName + "History");
        return new EngineHost(services, stopping, hub, client, history, hubName, log, requests);
    }

    /// <summary>Runs a pipeline through the app's RunPipeline orchestrator and returns its record.</summary>
    public async Task<PipelineExecution> RunPipelineAsync(string runId, Definitions.PipelineDefinition definition, System.Text.Json.Nodes.JsonNode? input)
    {
        var run = new RunPipelineInput
        {
            RunId = runId,
            Definition = definition,
            Input = input,
            Runner = "durable",
            CreatedAt = DateTime.UtcNow,
            Settings = Settings,
        };
        var record = await _hub.RunAsync(run, timeout: s_timeout);
        return record.Status == RunStatus.Succeeded
            ? record
            : throw new InvalidOperationException($"run '{runId}' ended {record.Status}: {record.Error?.Message}");
    }

    /// <summary>
    /// Starts a floor orchestrator and waits for it the way <see cref="TaskHub.RunAsync"/> waits for a run (a status
    /// read every 50 ms); returns its output and the time from start to seen completed.
    /// </summary>
    public async Task<(T Output, TimeSpan Elapsed)> RunFloorAsync<T>(string orchestrator, FloorInput input)
    {
        var watch = Stopwatch.StartNew();
        var instance = await _client.CreateOrchestrationInstanceAsync(orchestrator, string.Empty, input.RunId, input);
        while (true)
        {
            var state = await _client.GetOrchestrationStateAsync(instance.InstanceId);
            if (state?.OrchestrationStatus is OrchestrationStatus.Completed)
            {
                var output = PipelineTaskHub.Converter.Deserialize<T>(state.Output)
                    ?? throw new InvalidOperationException($"{orchestrator} {input.RunId} completed without output");
                return (output, watch.Elapsed);
            }

            if (state?.OrchestrationStatus is OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled)
            {
                throw new InvalidOperationException($"{orchestrator} {input.RunId} ended {state.OrchestrationStatus}: {state.Output}");
            }

            if (watch.Elapsed > s_timeout)
            {
                throw new TimeoutException($"{orchestrator} {input.RunId} still {state?.OrchestrationStatus} after {s_timeout}");
            }

            await Task.Delay(s_pollInterval);
        }
    }

    /// <summary>
    /// History rows per orchestration instance of a run: the run's own instance and its sub-orchestrations, whose
    /// ids all start with the run id (<see cref="ActivityKeys"/>), read from the hub's History table.
    /// </summary>
    public async Task<RunHistory> CountHistoryAsync(string runId)
    {
        // ';' follows ':' in ordinal order: the range holds the run id and every "{runId}:..." instance.
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {runId} and PartitionKey lt {runId + ";"}");
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in _history.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "EventType"]))
        {
            // The sentinel row holds the instance's checkpoint state, not an event; "{runId}0..." is another run.
            if (row.RowKey == "sentinel" || (row.PartitionKey != runId && !row.PartitionKey.StartsWith(runId + ":", StringComparison.Ordinal)))
            {
                continue;
            }

            counts[row.PartitionKey] = counts.GetValueOrDefault(row.PartitionKey) + 1;
            var type = row.GetString("EventType") ?? "?";
            types[type] = types.GetValueOrDefault(type) + 1;
        }

        return new RunHistory(counts, types);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _hub.DisposeAsync();
        await _services.DisposeAsync();
        _stopping.Dispose();
    }

    /// <summary>The core client's converter over the SDK's, as the hub's own client has (its adapter is internal).</summary>
    private sealed class Converter(SdkDataConverter converter) : CoreDataConverter
    {
        public override string? Serialize(object value) => converter.Serialize(value);

        public override string? Serialize(object value, bool formatted) => converter.Serialize(value);

        public override object? Deserialize(string data, Type objectType) => converter.Deserialize(data, objectType);
    }
}
