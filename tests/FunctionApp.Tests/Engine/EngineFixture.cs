using System.Text.Json.Nodes;
using DurablePipelines.LocalHost.Hosting;
using DurablePipelines.Storage.Durable;
using DurablePipelines.TestSupport.Azurite;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.FunctionApp.Tests.Engine;

/// <summary>One task hub hosting the Function App's functions, shared by the tests of a class.</summary>
public abstract class EngineFixture : IAsyncLifetime
{
    private ServiceProvider? _services;
    private FunctionAppTaskHub? _hub;

    internal FunctionAppTaskHub Hub => _hub ?? throw new InvalidOperationException("the fixture has not started");

    /// <summary>A short name of the backend, for run ids.</summary>
    public abstract string Backend { get; }

    public async Task InitializeAsync()
    {
        _services = await CreateServicesAsync();
        _hub = await FunctionAppTaskHub.StartAsync(CreateBackend(), _services);
    }

    public async Task DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await DisposeBackendAsync();
    }

    /// <summary>A hub of the same app over a new backend, with some orchestrators replaced (for tests of the engine's own checks).</summary>
    internal async Task<FunctionAppTaskHub> StartAnotherHubAsync(IReadOnlyDictionary<string, ITaskOrchestrator> replaced) =>
        await FunctionAppTaskHub.StartAsync(CreateBackend(), _services!, replaced);

    private protected abstract Task<ServiceProvider> CreateServicesAsync();

    private protected abstract IOrchestrationService CreateBackend();

    private protected virtual Task DisposeBackendAsync() => Task.CompletedTask;
}

/// <summary>The fast tier: the engine over an in-memory backend, records and payloads in memory.</summary>
public sealed class InMemoryEngineFixture : EngineFixture
{
    public override string Backend => "memory";

    private protected override Task<ServiceProvider> CreateServicesAsync() => Task.FromResult(EngineServices.CreateInMemory());

    /// <summary>
    /// The backend of <c>dp run --runner durable</c>, with as many work items at once as host.json's
    /// <c>maxConcurrentActivityFunctions</c> and <c>maxConcurrentOrchestratorFunctions</c> are of the order of, not one
    /// per processor: on a 2-core machine two would serialize what the rules expect to run at the same time.
    /// </summary>
    private protected override IOrchestrationService CreateBackend() => new InMemoryTaskHubBackend(concurrency: 32);
}

/// <summary>
/// The engine Durable Functions uses by default: DurableTask.AzureStorage (control queues, work-item queue, history
/// and instance tables, partition leases) over a real Azurite started for the fixture; records and payloads in
/// its blobs through the app's storage adapters.
/// </summary>
public sealed class AzureStorageEngineFixture : EngineFixture, IDisposable
{
    private readonly AzuriteFixture _azurite = new();
    private int _hubs;

    public override string Backend => "azure";

    private protected override async Task<ServiceProvider> CreateServicesAsync()
    {
        await _azurite.InitializeAsync();
        return EngineServices.Create(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = _azurite.ConnectionString,
        });
    }

    private protected override IOrchestrationService CreateBackend()
    {
        // The app's host.json settings of the Durable extension, as the Functions host would pass them on.
        var durable = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")))!["extensions"]!["durableTask"]!;
        var provider = durable["storageProvider"]!;
        return new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            // Durable's own clients send the API version the app's clients send, which a stock Azurite accepts.
            StorageAccountClientProvider = AzureStorageTaskHub.ClientProvider(_azurite.ConnectionString),
            TaskHubName = $"{durable["hubName"]!.GetValue<string>()}{Interlocked.Increment(ref _hubs)}",
            PartitionCount = provider["partitionCount"]!.GetValue<int>(),
            ControlQueueBatchSize = provider["controlQueueBatchSize"]!.GetValue<int>(),
            MaxConcurrentTaskActivityWorkItems = durable["maxConcurrentActivityFunctions"]!.GetValue<int>(),
            MaxConcurrentTaskOrchestrationWorkItems = durable["maxConcurrentOrchestratorFunctions"]!.GetValue<int>(),

            // host.json lets an idle queue's polling back off to 10 s, which suits a production hub; a test hub is
            // idle between every two runs, so it polls at most every 200 ms.
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(200),
        });
    }

    public void Dispose() => _azurite.Dispose();

    private protected override Task DisposeBackendAsync() => _azurite.DisposeAsync();
}
