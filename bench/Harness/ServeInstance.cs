using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using DurablePipelines.Hosting;
using DurablePipelines.LocalHost.Serve;
using DurablePipelines.Records;
using DurablePipelines.Storage.Blobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Bench.Harness;

/// <summary>
/// The real <c>dp serve</c> web application (<see cref="ServeHost.Build"/>) in this process, over Azurite, on a free
/// loopback port, with the no-op handler added and the benchmark pipelines in a temp folder. Runs are started over
/// HTTP and their end is read over HTTP, as a client would.
/// </summary>
internal sealed class ServeInstance : IAsyncDisposable
{
    private static readonly TimeSpan s_readPatience = TimeSpan.FromMinutes(10);

    private readonly WebApplication _app;
    private readonly string _pipelines;
    private int _unavailable;

    private ServeInstance(WebApplication app, string pipelines, Uri address, string storage)
    {
        _app = app;
        _pipelines = pipelines;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        Storage = StorageClients.CreateBlobServiceClient(storage);
        ConnectionString = storage;
    }

    /// <summary>The storage account's connection string (Azurite's).</summary>
    public string ConnectionString { get; }

    public HttpClient Http { get; }

    public BlobServiceClient Storage { get; }

    /// <summary>Starts the host with the given pipeline definitions (name to JSON text).</summary>
    public static async Task<ServeInstance> StartAsync(string storage, IReadOnlyDictionary<string, string> pipelines)
    {
        var folder = Directory.CreateTempSubdirectory("bench-pipelines-").FullName;
        foreach (var (name, json) in pipelines)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, name + ".json"), json);
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage,
            ["Pipelines:Path"] = folder,
            ["Pipelines:Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        }).Build();
        var app = ServeHost.Build(configuration, services => services.AddPipelineTask<NoOpTask>(NoOpTask.Name));
        await app.StartAsync();
        return new ServeInstance(app, folder, new Uri(app.Urls.Single() + "/"), storage);
    }

    /// <summary><c>POST /api/pipelines/{name}/runs</c>; returns the run id of a 202, throws otherwise.</summary>
    public async Task<string> StartRunAsync(string pipeline, JsonObject input)
    {
        using var response = await Http.PostAsJsonAsync(new Uri($"api/pipelines/{pipeline}/runs", UriKind.Relative), new JsonObject { ["input"] = input });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"start of '{pipeline}' answered {(int)response.StatusCode}: {body}");
        }

        return JsonNode.Parse(body)!["runId"]!.GetValue<string>();
    }

    /// <summary>
    /// <c>GET /api/runs/{runId}</c>. A 503 (storage busy: the API's bounded wait gave up) is retried after its
    /// <c>Retry-After</c>, as a client of the API is told to; each is counted in <see cref="Unavailable"/>.
    /// </summary>
    public async Task<PipelineExecution> GetRunAsync(string runId)
    {
        // Azurite answers slowly while thousands of runs drain: a read the host answers 503 (storage too slow for an
        // interactive answer) is retried as its Retry-After says, for as long as a drain may take on this machine.
        var patience = Stopwatch.StartNew();
        while (true)
        {
            using var response = await Http.GetAsync(new Uri($"api/runs/{Uri.EscapeDataString(runId)}", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && patience.Elapsed < s_readPatience)
            {
                Interlocked.Increment(ref _unavailable);
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }

            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<PipelineExecution>(PipelineJson.Options)
                ?? throw new InvalidOperationException($"run '{runId}' has no record");
        }
    }

    /// <summary>How many reads were answered 503 and retried, since the host started.</summary>
    public int Unavailable => Volatile.Read(ref _unavailable);

    /// <summary>Waits until the run has finished and its final record is stored, then reads it over HTTP.</summary>
    public async Task<PipelineExecution> WaitForRunAsync(string runId)
    {
        var record = await GetRunAsync(runId);
        while (!record.Status.IsFinal())
        {
            await Task.Delay(500);
            record = await GetRunAsync(runId);
        }

        return record.Status == RunStatus.Succeeded
            ? record
            : throw new InvalidOperationException($"run '{runId}' ended {record.Status}: {record.Error?.Message}");
    }

    /// <summary>
    /// Waits for every run, polling at most <paramref name="concurrency"/> of them at once (a client watching
    /// thousands of runs at once would be its own load test of the API).
    /// </summary>
    public Task WaitForRunsAsync(IEnumerable<string> runIds, int concurrency) => WaitForRunsAsync(runIds, concurrency, Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Waits for the runs as <see cref="WaitForRunsAsync(IEnumerable{string}, int)"/> does, but no longer than <paramref name="limit"/>; returns
    /// how many had finished (each succeeded, or this throws) by then.
    /// </summary>
    public Task<int> WaitForRunsAsync(IEnumerable<string> runIds, int concurrency, TimeSpan limit) =>
        BoundedWait.CountDoneAsync(runIds, concurrency, limit, (runId, token) => WaitForRunAsync(runId).WaitAsync(token));

    public DurablePipelines.Api.IRunScheduler Scheduler => _app.Services.GetRequiredService<DurablePipelines.Api.IRunScheduler>();

    /// <summary>The task hub the host runs its runs in.</summary>
    public string TaskHubName => DurablePipelines.LocalHost.Hosting.LocalHostServices.TaskHubName(_app.Configuration);

    /// <summary>The options the host runs with.</summary>
    public PipelineOptions Options => _app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PipelineOptions>>().Value;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_pipelines, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }
}
