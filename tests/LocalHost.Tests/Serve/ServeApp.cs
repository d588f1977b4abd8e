using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using DurablePipelines.Hosting;
using DurablePipelines.LocalHost.Serve;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.Storage.Durable;
using DurablePipelines.Storage.Hosting;
using DurablePipelines.TestSupport;
using DurablePipelines.TestSupport.Azurite;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.LocalHost.Tests.Serve;

/// <summary>
/// The real <c>dp serve</c> web app in process, on a free loopback port, over the fixture's Azurite with
/// containers, queues and a task hub of its own, serving <see cref="TestPipelines"/> with the <c>held</c> handler
/// added (<see cref="Held"/>); stopped and cleaned up on dispose.
/// </summary>
internal sealed class ServeApp : IAsyncDisposable
{
    private readonly TempFolder _pipelines;
    private readonly string _connectionString;
    private readonly string _hubName;

    private ServeApp(WebApplication app, TempFolder pipelines, StorageOptions storage, string connectionString, string hubName, HeldTask held)
    {
        App = app;
        _pipelines = pipelines;
        _connectionString = connectionString;
        _hubName = hubName;
        Storage = storage;
        Held = held;
        BaseAddress = new Uri(app.Urls.Single() + "/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var queues = StorageClients.CreateQueueServiceClient(connectionString);
        StartQueue = queues.GetQueueClient(storage.StartQueue);
        PoisonQueue = queues.GetQueueClient(storage.PoisonQueue);
        EventQueue = queues.GetQueueClient(storage.EventQueue);
    }

    public WebApplication App { get; }

    /// <summary>The <c>held</c> handler of the app: its results run until it is released.</summary>
    public HeldTask Held { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>The names this app's storage uses (unique to it).</summary>
    public StorageOptions Storage { get; }

    public QueueClient StartQueue { get; }

    public QueueClient PoisonQueue { get; }

    public QueueClient EventQueue { get; }

    /// <summary>Starts the app; <paramref name="settings"/> add to or override the test configuration.</summary>
    public static async Task<ServeApp> StartAsync(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var pipelines = TestPipelines.WriteFolder();
        var hub = settings?.GetValueOrDefault("Pipelines:TaskHub") ?? AzuriteFixture.UniqueHubName();
        var storage = new StorageOptions
        {
            RunsContainer = AzuriteFixture.UniqueName("runs"),
            PayloadsContainer = AzuriteFixture.UniqueName("payloads"),
            StartQueue = AzuriteFixture.UniqueName("starts"),
            PoisonQueue = AzuriteFixture.UniqueName("poison"),
            EventQueue = AzuriteFixture.UniqueName("events"),
        };
        var values = new Dictionary<string, string?>
        {
            ["Pipelines:Urls"] = "http://127.0.0.1:0",
            ["Pipelines:Path"] = pipelines.Path,
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Pipelines:Storage:RunsContainer"] = storage.RunsContainer,
            ["Pipelines:Storage:PayloadsContainer"] = storage.PayloadsContainer,
            ["Pipelines:TaskHub"] = hub,
            ["Pipelines:Storage:StartQueue"] = storage.StartQueue,
            ["Pipelines:Storage:PoisonQueue"] = storage.PoisonQueue,
            ["Pipelines:Storage:EventQueue"] = storage.EventQueue,
            ["Pipelines:Storage:MinPollInterval"] = "00:00:00.050",
            ["Pipelines:Storage:MaxPollInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var held = new HeldTask();
        var app = ServeHost.Build(
            new ConfigurationBuilder().AddInMemoryCollection(values).Build(),
            services => services.AddSingleton(held).AddPipelineTask<HeldTask>(HeldTask.Name));
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            pipelines.Dispose();
            throw;
        }

        return new ServeApp(app, pipelines, storage, azurite.ConnectionString, hub, held);
    }

    /// <summary>POSTs a start body (JSON text as is) to a pipeline.</summary>
    public Task<HttpResponseMessage> StartAsync(string pipeline, string body) =>
        Http.PostAsync($"api/pipelines/{pipeline}/runs", new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>POSTs <c>{ input, runId }</c> to a pipeline.</summary>
    public Task<HttpResponseMessage> StartAsync(string pipeline, JsonNode? input, string? runId = null) =>
        StartAsync(pipeline, new JsonObject { ["input"] = input?.DeepClone(), ["runId"] = runId }.ToJsonString());

    /// <summary>The run's record as the API answers it, or null on 404.</summary>
    public async Task<PipelineExecution?> GetRunAsync(string runId)
    {
        using var response = await Http.GetAsync($"api/runs/{runId}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<PipelineExecution>(PipelineJson.Options);
    }

    /// <summary>The live progress the API adds to a run that has not finished (the engine's custom status), or null.</summary>
    public async Task<RunProgress?> GetProgressAsync(string runId)
    {
        using var response = await Http.GetAsync($"api/runs/{runId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["progress"]?.Deserialize<RunProgress>(PipelineJson.Options);
    }

    /// <summary>Polls the run's live progress until <paramref name="done"/> holds; fails after 30 s.</summary>
    public async Task<RunProgress> WaitForProgressAsync(string runId, Func<RunProgress, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        RunProgress? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetProgressAsync(runId);
            if (last is not null && done(last))
            {
                return last;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"run '{runId}' did not show that progress in time; last seen: {(last is null ? "none" : JsonSerializer.Serialize(last, PipelineJson.Options))}");
    }

    /// <summary>The run's log rows as the API answers them.</summary>
    public async Task<IReadOnlyList<StateChange>> GetLogAsync(string runId)
    {
        using var response = await Http.GetAsync($"api/runs/{runId}/log");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["rows"].Deserialize<List<StateChange>>(PipelineJson.Options)!;
    }

    /// <summary>Polls the run until <paramref name="done"/> holds (by default: it finished); fails after the timeout.</summary>
    public async Task<PipelineExecution> WaitForRunAsync(string runId, Func<PipelineExecution, bool>? done = null, TimeSpan? timeout = null)
    {
        done ??= r => r.Status.IsFinal();
        // 90 s: under the full suite's load a fresh task hub's first run has waited more than 30 s for the engine to
        // take it up (CI of c85243d: 'nap-1' still Pending after 30 s; alone it takes about 2 s).
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        PipelineExecution? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetRunAsync(runId);
            if (last is not null && done(last))
            {
                return last;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"run '{runId}' did not get there in time; last seen: {(last is null ? "no record" : JsonSerializer.Serialize(last, PipelineJson.Options))}");
    }

    /// <summary>
    /// Polls the engine's history of a run until its orchestration has taken the cancel event in. A result that ends
    /// after that ends a <c>Terminated</c> run, whichever order the engine's queues hand the two over in.
    /// </summary>
    public async Task WaitUntilTheEngineHasTheCancelAsync(string runId)
    {
        using var engine = AzureStorageTaskHub.Create(new StorageOptions { ConnectionString = _connectionString }, _hubName, concurrency: 1);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var state = (await engine.GetOrchestrationStateAsync(runId, allExecutions: false)).SingleOrDefault();
            var history = state is null ? null : await engine.GetOrchestrationHistoryAsync(runId, state.OrchestrationInstance.ExecutionId);
            if (history is not null && JsonNode.Parse(history) is JsonArray events && events.Any(IsCancel))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"run '{runId}' has not taken the cancel in after 30 s; its history: {history ?? "none"}");
            }

            await Task.Delay(50);
        }

        static bool IsCancel(JsonNode? e) =>
            e?["EventType"]?.GetValue<int>() == (int)EventType.EventRaised && e["Name"]?.GetValue<string>() == OrchestrationEvents.Cancel;
    }

    /// <summary>
    /// Polls the engine until the run's orchestration has completed: everything it does, the last activity included
    /// (the events it publishes after the record is final), is done then.
    /// </summary>
    public Task WaitForOrchestrationCompletedAsync(string runId) =>
        WaitForOrchestrationAsync(runId, status => status == OrchestrationStatus.Completed, "has no completed orchestration");

    /// <summary>Polls the engine until the task hub has no orchestration of the run (never had one, or it was purged).</summary>
    public Task WaitUntilTheEngineHasNoOrchestrationAsync(string runId) =>
        WaitForOrchestrationAsync(runId, status => status is null, "still has an orchestration in the task hub");

    /// <summary>The engine's status of the run's orchestration; null when the task hub has none.</summary>
    public async Task<OrchestrationStatus?> GetOrchestrationStatusAsync(string runId)
    {
        using var engine = Engine();
        return await StatusAsync(engine, runId);
    }

    /// <summary>The rows of the task hub's History table that belong to the run's orchestration.</summary>
    public async Task<int> CountHistoryRowsAsync(string runId)
    {
        var table = new TableClient(_connectionString, $"{_hubName}History", new TableClientOptions(AzureStorageTaskHub.TableServiceVersion));
        var rows = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {runId}"), select: ["PartitionKey"]))
        {
            rows++;
        }

        return rows;
    }

    /// <summary>The names of the engine's large-message blobs (its <c>{hub}-largemessages</c> container) that begin with <paramref name="prefix"/>.</summary>
    public async Task<IReadOnlyList<string>> ListLargeMessagesAsync(string prefix)
    {
        var container = new BlobContainerClient(_connectionString, $"{_hubName.ToLowerInvariant()}-largemessages", new BlobClientOptions(StorageClients.BlobServiceVersion));
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    private async Task WaitForOrchestrationAsync(string runId, Func<OrchestrationStatus?, bool> done, string what)
    {
        using var engine = Engine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!done(await StatusAsync(engine, runId)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"run '{runId}' {what} after 30 s");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A client of the app's task hub, as another process reading it would have.</summary>
    private AzureStorageOrchestrationService Engine() =>
        AzureStorageTaskHub.Create(new StorageOptions { ConnectionString = _connectionString }, _hubName, concurrency: 1);

    private static async Task<OrchestrationStatus?> StatusAsync(AzureStorageOrchestrationService engine, string runId) =>
        (await engine.GetOrchestrationStateAsync(runId, allExecutions: false)).SingleOrDefault()?.OrchestrationStatus;

    public async ValueTask DisposeAsync()
    {
        // A held result still running would keep the engine's worker from stopping until its token fires.
        Held.Release();
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _pipelines.Dispose();
    }
}
