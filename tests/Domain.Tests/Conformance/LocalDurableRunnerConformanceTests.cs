using System.Text.Json.Nodes;
using DurablePipelines.Activities;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.LocalDurable;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DurablePipelines.Tests.Conformance;

/// <summary>The conformance suite on the local host's durable runner, with checkpoints in memory.</summary>
public sealed class LocalDurableRunnerConformanceTests : RunnerConformanceTests, IAsyncDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddDurablePipelines().BuildServiceProvider();
    private readonly LocalRunScheduler _scheduler;
    private int _runs;

    public LocalDurableRunnerConformanceTests()
    {
        _scheduler = new LocalRunScheduler(
            _services.GetRequiredService<PipelineActivities>(),
            new InMemoryCheckpointStore(),
            new InMemoryRunStore(),
            _services.GetRequiredService<IOptions<PipelineOptions>>(),
            TimeProvider.System,
            NullLogger<LocalRunScheduler>.Instance);
    }

    protected override bool RunsConcurrently => true;

    protected override Task<PipelineExecution> RunAsync(PipelineDefinition definition, JsonNode? input, OrchestrationSettings settings, CancellationToken cancellationToken)
    {
        var run = new RunPipelineInput { RunId = $"local-{Interlocked.Increment(ref _runs)}", Definition = definition, Input = input, Settings = settings, CreatedAt = DateTime.UtcNow };
        return _scheduler.RunToEndAsync(run, NullReporter.Instance, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _scheduler.DisposeAsync();
        await _services.DisposeAsync();
    }
}
