using System.Text.Json.Nodes;
using DurablePipelines.Api;
using DurablePipelines.Definitions;
using DurablePipelines.Durable.Hosting;
using DurablePipelines.Durable.Runners;
using DurablePipelines.Hosting;
using DurablePipelines.LocalHost.Serve;
using DurablePipelines.Orchestration;
using DurablePipelines.Payloads;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using DurablePipelines.Storage.Payloads;
using DurablePipelines.Storage.Records;
using DurablePipelines.Tests.Conformance;
using DurablePipelines.TestSupport.Azurite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.LocalHost.Tests.Conformance;

/// <summary>
/// The conformance suite on the engine exactly as <c>dp serve</c> composes it (its services from
/// <see cref="ServeHost.Build"/>): the shared orchestrators on DurableTask.AzureStorage, records and payloads in blobs,
/// all on a real Azurite, in a task hub the tests of the class share (<see cref="ServeServicesFixture"/>), each run under an id of its own.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class AzuriteDurableRunnerConformanceTests(AzuriteFixture azurite, ServeServicesFixture serve) : RunnerConformanceTests, IClassFixture<ServeServicesFixture>
{
    private readonly WebApplication _app = serve.For(azurite);

    protected override bool RunsConcurrently => true;

    /// <summary>A parent's result, the next episode and the child's dispatch cross Azurite's queues: more than 400 ms on a loaded CI machine.</summary>
    protected override int LongTaskMs => 3_000;

    protected override Task<PipelineExecution> RunAsync(PipelineDefinition definition, JsonNode? input, OrchestrationSettings settings, Rerun? rerun, CancellationToken cancellationToken) =>
        StartRun(definition, input, settings, rerun, cancellationToken).Completion;

    protected override (string RunId, Task<PipelineExecution> Completion) StartRun(PipelineDefinition definition, JsonNode? input, OrchestrationSettings settings, Rerun? rerun, CancellationToken cancellationToken)
    {
        var run = new RunPipelineInput { RunId = $"conformance-{Guid.NewGuid():N}", Definition = definition, Input = input, Settings = settings, Rerun = rerun, Runner = DurableRunner.RunnerName, CreatedAt = DateTime.UtcNow };
        return (run.RunId, _app.Services.GetRequiredService<PipelineRunnerRegistry>().Get(DurableRunner.RunnerName).RunAsync(run, NullReporter.Instance, cancellationToken));
    }

    // As dp serve's API does it: through the engine's client, on any host of the task hub.
    protected override async Task SetSuspendedAsync(string runId, bool suspended) =>
        Assert.True(await _app.Services.GetRequiredService<IRunScheduler>().SetSuspendedAsync(runId, suspended, CancellationToken.None), $"run {runId} is not active");

    protected override async Task RaiseEventAsync(string runId, string name, JsonNode? payload) =>
        Assert.True(await _app.Services.GetRequiredService<IRunScheduler>().RaiseEventAsync(runId, new RunEventMessage(name, payload), CancellationToken.None), $"run {runId} is not active");

    protected override async Task RepairAsync(string runId, RepairMessage repair) =>
        Assert.True(await _app.Services.GetRequiredService<IRunScheduler>().RepairAsync(runId, repair, CancellationToken.None), $"run {runId} is not active");

    protected override Task<RunProgress?> GetProgressAsync(string runId) =>
        _app.Services.GetRequiredService<IRunScheduler>().GetProgressAsync(runId, CancellationToken.None);

    [Fact]
    public void Services_AsServeComposesThem_AreTheEngineAndTheBlobStores()
    {
        Assert.IsType<TaskHubRunScheduler>(_app.Services.GetRequiredService<IRunScheduler>());
        Assert.IsType<BlobRunStore>(_app.Services.GetRequiredService<IRunStore>());
        Assert.IsType<BlobPayloadStore>(_app.Services.GetRequiredService<IPayloadStore>());
    }
}

/// <summary>
/// <c>dp serve</c>'s services over the collection's Azurite, with a task hub, containers and queues of their own, built
/// for the first test of a class and disposed after its last: starting the engine on a new task hub (its queues, tables
/// and partition lease) cost each test about a second and a half.
/// </summary>
public sealed class ServeServicesFixture : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private WebApplication? _app;

    /// <summary>The app, built on first use over <paramref name="azurite"/>.</summary>
    public WebApplication For(AzuriteFixture azurite)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        lock (_gate)
        {
            return _app ??= ServeHost.Build(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["Pipelines:TaskHub"] = AzuriteFixture.UniqueHubName(),
                ["Pipelines:Storage:RunsContainer"] = AzuriteFixture.UniqueName("runs"),
                ["Pipelines:Storage:PayloadsContainer"] = AzuriteFixture.UniqueName("payloads"),
                ["Logging:LogLevel:Default"] = "Warning",
            }).Build(), services => services.AddPipelineTask<CountingTask>(CountingTask.Name));
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
