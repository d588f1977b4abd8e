using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.LocalDurable;
using DurablePipelines.LocalHost.Serve;
using DurablePipelines.Orchestration;
using DurablePipelines.Payloads;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using DurablePipelines.Storage.Checkpoints;
using DurablePipelines.Storage.Payloads;
using DurablePipelines.Storage.Records;
using DurablePipelines.TestSupport.Azurite;
using DurablePipelines.Tests.Conformance;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.LocalHost.Tests.Conformance;

/// <summary>
/// The conformance suite on the durable local runner exactly as <c>dp serve</c> composes it (its services from
/// <see cref="ServeHost.Build"/>): checkpoints, records and payloads in blobs on a real Azurite.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class AzuriteDurableRunnerConformanceTests : RunnerConformanceTests, IAsyncLifetime
{
    private readonly WebApplication _app;
    private readonly LocalRunScheduler _scheduler;

    public AzuriteDurableRunnerConformanceTests(AzuriteFixture azurite)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        _app = ServeHost.Build(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Pipelines:Storage:RunsContainer"] = AzuriteFixture.UniqueName("runs"),
            ["Pipelines:Storage:PayloadsContainer"] = AzuriteFixture.UniqueName("payloads"),
            ["Pipelines:Storage:CheckpointsContainer"] = AzuriteFixture.UniqueName("checkpoints"),
            ["Logging:LogLevel:Default"] = "Warning",
        }).Build());
        _scheduler = _app.Services.GetRequiredService<LocalRunScheduler>();
    }

    protected override bool RunsConcurrently => true;

    protected override Task<PipelineExecution> RunAsync(PipelineDefinition definition, JsonNode? input, OrchestrationSettings settings, CancellationToken cancellationToken)
    {
        var run = new RunPipelineInput { RunId = $"conformance-{Guid.NewGuid():N}", Definition = definition, Input = input, Settings = settings, Runner = LocalRunScheduler.Name, CreatedAt = DateTime.UtcNow };
        return _scheduler.RunToEndAsync(run, NullReporter.Instance, cancellationToken);
    }

    [Fact]
    public void Services_AsServeComposesThem_AreTheBlobStores()
    {
        Assert.IsType<BlobCheckpointStore>(_app.Services.GetRequiredService<ICheckpointStore>());
        Assert.IsType<BlobRunStore>(_app.Services.GetRequiredService<IRunStore>());
        Assert.IsType<BlobPayloadStore>(_app.Services.GetRequiredService<IPayloadStore>());
    }

    [Fact]
    public async Task RunToEndAsync_FanOut_CheckpointsEveryResultInBlobs()
    {
        var definition = new PipelineBuilder("checkpointed")
            .Task("each", "echo", t => t.ForEach("input.items"))
            .Build();
        var run = new RunPipelineInput { RunId = "checkpointed-1", Definition = definition, Input = new JsonObject { ["items"] = new JsonArray(1, 2, 3) }, CreatedAt = DateTime.UtcNow };

        await _scheduler.RunToEndAsync(run, NullReporter.Instance, CancellationToken.None);

        var keys = (await _app.Services.GetRequiredService<ICheckpointStore>().LoadAllAsync("checkpointed-1", CancellationToken.None)).Keys;
        Assert.Contains(LocalRunScheduler.InputKey, keys);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Contains(ActivityKeys.TaskResult("checkpointed-1", 0, "each", i, 1), keys));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();
}
