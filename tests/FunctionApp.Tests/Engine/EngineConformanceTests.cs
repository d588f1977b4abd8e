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

    protected override async Task<PipelineExecution> RunAsync(PipelineDefinition definition, JsonNode? input, OrchestrationSettings settings, Rerun? rerun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var services = engine.Hub.Services;
        Assert.Empty(services.GetRequiredService<PipelineValidator>().Validate(definition));
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
