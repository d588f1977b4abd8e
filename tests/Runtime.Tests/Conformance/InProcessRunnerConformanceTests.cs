using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using DurablePipelines.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Conformance;

/// <summary>
/// Runs the conformance suite on an in-process runner chosen by name, on the system clock as every other runner. A fake
/// clock could be moved here only when the run is idle (its orchestration loop empty and every running activity
/// waiting on the clock), which the in-process runtime does not tell; moved on a guess, it would reorder the very
/// timestamps the suite checks. The exact times of retries, the ttl, timeouts and cancels are shown on a fake clock by
/// <c>InProcessTimeTests</c>, <c>InProcessCancelTests</c> and <c>TaskResultExecutorLimitTests</c>.
/// </summary>
public abstract class InProcessRunnerConformanceTests(string runner) : RunnerConformanceTests, IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddDurablePipelines().AddPipelineTask<CountingTask>(CountingTask.Name).BuildServiceProvider();
    private readonly ConcurrentDictionary<string, LatestProgressReporter> _progress = new(StringComparer.Ordinal);

    protected override async Task<PipelineExecution> RunAsync(PipelineDefinition definition, JsonNode? input, OrchestrationSettings settings, Rerun? rerun, CancellationToken cancellationToken)
    {
        var errors = _services.GetRequiredService<PipelineValidator>().Validate(definition);
        Assert.Empty(errors);
        var run = new RunPipelineInput { RunId = $"run-{Guid.NewGuid():N}", Definition = definition, Input = input, Settings = settings, Rerun = rerun, CreatedAt = DateTime.UtcNow };
        return await _services.GetRequiredService<PipelineRunnerRegistry>().Get(runner).RunAsync(run, NullReporter.Instance, cancellationToken);
    }

    protected override (string RunId, Task<PipelineExecution> Completion) StartRun(PipelineDefinition definition, JsonNode? input, OrchestrationSettings settings, Rerun? rerun, CancellationToken cancellationToken)
    {
        Assert.Empty(_services.GetRequiredService<PipelineValidator>().Validate(definition));
        var run = new RunPipelineInput { RunId = $"run-{Guid.NewGuid():N}", Definition = definition, Input = input, Settings = settings, Rerun = rerun, CreatedAt = DateTime.UtcNow };
        var reporter = new LatestProgressReporter(run.RunId);
        _progress[run.RunId] = reporter;
        var chosen = _services.GetRequiredService<PipelineRunnerRegistry>().Get(runner);
        return (run.RunId, Task.Run(() => chosen.RunAsync(run, reporter, cancellationToken), CancellationToken.None));
    }

    protected override Task SetSuspendedAsync(string runId, bool suspended)
    {
        Assert.True(_services.GetRequiredService<InProcessRunControl>().SetSuspended(runId, suspended), $"run {runId} does not run");
        return Task.CompletedTask;
    }

    protected override Task RaiseEventAsync(string runId, string name, JsonNode? payload)
    {
        Assert.True(_services.GetRequiredService<InProcessRunControl>().RaiseEvent(runId, name, payload), $"run {runId} does not run");
        return Task.CompletedTask;
    }

    protected override Task RepairAsync(string runId, RepairMessage repair)
    {
        Assert.True(_services.GetRequiredService<InProcessRunControl>().Repair(runId, repair), $"run {runId} does not run");
        return Task.CompletedTask;
    }

    protected override Task<RunProgress?> GetProgressAsync(string runId) => Task.FromResult(_progress[runId].Latest);

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
