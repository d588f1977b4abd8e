using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Durable.Hosting;
using DurablePipelines.Durable.Runners;
using DurablePipelines.Hosting;
using DurablePipelines.LocalHost.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using DurablePipelines.Tests.Conformance;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.LocalHost.Tests.Conformance;

/// <summary>
/// The conformance suite on <c>dp run --runner durable</c> as the CLI composes it: the shared orchestrators and
/// activities on the Durable Task engine, over its in-memory backend.
/// </summary>
public sealed class DurableRunnerConformanceTests : RunnerConformanceTests, IAsyncLifetime
{
    private readonly ServiceProvider _services = LocalHostServices.Create(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" })
        .Build(), services => services.AddPipelineTask<CountingTask>(CountingTask.Name));

    protected override bool RunsConcurrently => true;

    [Fact]
    public void Runners_AsTheCliComposesThem_IncludeDurable() =>
        Assert.IsType<DurableRunner>(_services.GetRequiredService<PipelineRunnerRegistry>().Get(DurableRunner.RunnerName));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _services.DisposeAsync();

    protected override Task<PipelineExecution> RunAsync(PipelineDefinition definition, JsonNode? input, OrchestrationSettings settings, Rerun? rerun, CancellationToken cancellationToken) =>
        StartRun(definition, input, settings, rerun, cancellationToken).Completion;

    protected override async Task SetSuspendedAsync(string runId, bool suspended)
    {
        var hub = await _services.GetRequiredService<TaskHubHost>().GetAsync();
        Assert.True(await hub.TrySetSuspendedAsync(runId, suspended), $"run {runId} is not active");
    }

    protected override async Task RaiseEventAsync(string runId, string name, JsonNode? payload)
    {
        var hub = await _services.GetRequiredService<TaskHubHost>().GetAsync();
        Assert.True(await hub.TryRaiseEventAsync(runId, new RunEventMessage(name, payload)), $"run {runId} is not active");
    }

    protected override async Task RepairAsync(string runId, RepairMessage repair)
    {
        var hub = await _services.GetRequiredService<TaskHubHost>().GetAsync();
        Assert.True(await hub.TryRepairAsync(runId, repair), $"run {runId} is not active");
    }

    protected override async Task<RunProgress?> GetProgressAsync(string runId)
    {
        var hub = await _services.GetRequiredService<TaskHubHost>().GetAsync();
        return (await hub.GetStateAsync(runId))?.Progress;
    }

    protected override (string RunId, Task<PipelineExecution> Completion) StartRun(PipelineDefinition definition, JsonNode? input, OrchestrationSettings settings, Rerun? rerun, CancellationToken cancellationToken)
    {
        var run = new RunPipelineInput
        {
            RunId = $"{definition.Name}-{Guid.NewGuid():N}",
            Definition = definition,
            Input = input,
            Settings = settings,
            Rerun = rerun,
            Runner = DurableRunner.RunnerName,
            CreatedAt = DateTime.UtcNow,
        };
        return (run.RunId, _services.GetRequiredService<PipelineRunnerRegistry>().Get(DurableRunner.RunnerName).RunAsync(run, NullReporter.Instance, cancellationToken));
    }
}
