using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Tests.Conformance;
using DurablePipelines.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.FunctionApp.Tests.Engine;

/// <summary>
/// The shared conformance suite on the Function App's own orchestrators and activities, hosted on the Durable
/// Task Framework. Each run's record is the orchestration's output; the record <c>SaveRunRecord</c> stored must
/// be the same.
/// </summary>
public abstract class EngineConformanceTests(EngineFixture engine) : RunnerConformanceTests
{
    protected override bool RunsConcurrently => true;

    protected override Task<PipelineExecution> RunAsync(PipelineDefinition definition, JsonNode? input, OrchestrationSettings settings, Rerun? rerun, CancellationToken cancellationToken) =>
        StartRun(definition, input, settings, rerun, cancellationToken).Completion;

    protected override (string RunId, Task<PipelineExecution> Completion) StartRun(PipelineDefinition definition, JsonNode? input, OrchestrationSettings settings, Rerun? rerun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Assert.Empty(engine.Hub.Services.GetRequiredService<PipelineValidator>().Validate(definition));
        var run = new RunPipelineInput
        {
            RunId = $"{definition.Name}-{engine.Backend}-{Guid.NewGuid():N}",
            Definition = definition,
            Input = input,
            Settings = settings,
            Rerun = rerun,
            Runner = "durable",
            CreatedAt = DateTime.UtcNow,
        };
        return (run.RunId, RunAndCompareAsync(run, cancellationToken));
    }

    protected override async Task SetSuspendedAsync(string runId, bool suspended) =>
        Assert.True(await engine.Hub.TrySetSuspendedAsync(runId, suspended), $"run {runId} is not active");

    protected override async Task RaiseEventAsync(string runId, string name, JsonNode? payload) =>
        Assert.True(await engine.Hub.TryRaiseEventAsync(runId, new RunEventMessage(name, payload)), $"run {runId} is not active");

    protected override async Task RepairAsync(string runId, RepairMessage repair) =>
        Assert.True(await engine.Hub.TryRepairAsync(runId, repair), $"run {runId} is not active");

    protected override async Task<RunProgress?> GetProgressAsync(string runId) => await engine.Hub.GetProgressAsync(runId);

    private async Task<PipelineExecution> RunAndCompareAsync(RunPipelineInput run, CancellationToken cancellationToken)
    {
        var services = engine.Hub.Services;
        var record = await engine.Hub.RunAsync(run, cancellationToken: cancellationToken);

        var stored = await services.GetRequiredService<IRunStore>().GetAsync(run.RunId, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(JsonSerializer.Serialize(record, PipelineJson.Options), JsonSerializer.Serialize(stored, PipelineJson.Options));
        return record;
    }
}

public sealed class InMemoryEngineConformanceTests(InMemoryEngineFixture engine)
    : EngineConformanceTests(engine), IClassFixture<InMemoryEngineFixture>;

public sealed class AzureStorageEngineConformanceTests(AzureStorageEngineFixture engine)
    : EngineConformanceTests(engine), IClassFixture<AzureStorageEngineFixture>
{
    /// <summary>A parent's result, the next episode and the child's dispatch cross Azurite's queues: more than 400 ms on a loaded CI machine.</summary>
    protected override int LongTaskMs => 3_000;
}
