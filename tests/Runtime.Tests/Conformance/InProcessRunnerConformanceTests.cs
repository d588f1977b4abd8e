using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using DurablePipelines.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Conformance;

/// <summary>Runs the conformance suite on an in-process runner chosen by name.</summary>
public abstract class InProcessRunnerConformanceTests(string runner) : RunnerConformanceTests, IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddDurablePipelines().BuildServiceProvider();

    protected override async Task<PipelineExecution> RunAsync(PipelineDefinition definition, JsonNode? input, OrchestrationSettings settings, CancellationToken cancellationToken)
    {
        var errors = _services.GetRequiredService<PipelineValidator>().Validate(definition);
        Assert.Empty(errors);
        var run = new RunPipelineInput { RunId = "run-1", Definition = definition, Input = input, Settings = settings, CreatedAt = DateTime.UtcNow };
        return await _services.GetRequiredService<PipelineRunnerRegistry>().Get(runner).RunAsync(run, NullReporter.Instance, cancellationToken);
    }

    public void Dispose()
    {
        _services.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class EagerRunnerConformanceTests() : InProcessRunnerConformanceTests("eager")
{
    protected override bool RunsConcurrently => false;
}

public sealed class ParallelRunnerConformanceTests() : InProcessRunnerConformanceTests("parallel")
{
    protected override bool RunsConcurrently => true;
}
