using DurablePipelines.Activities;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Runners;

/// <summary>
/// The in-process runners: <c>eager</c> (one task result at a time) and <c>parallel</c> (concurrent, with a
/// global limit). Both run the one orchestration algorithm through <see cref="InProcessOrchestrationContext"/>.
/// </summary>
internal sealed class InProcessRunner(string name, int maxConcurrentActivities, PipelineActivities activities, TimeProvider time, InProcessRunControl control) : IPipelineRunner
{
    public const string Eager = "eager";
    public const string Parallel = "parallel";

    public string Name { get; } = name;

    public async Task<PipelineExecution> RunAsync(RunPipelineInput run, IPipelineReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(reporter);
        using var runtime = new InProcessRuntime(activities, reporter, time, maxConcurrentActivities, cancellationToken);
        using var reachable = control.Register(run.RunId, runtime);
        var execution = await runtime.RunAsync(run with { Runner = Name });
        reporter.Finished(execution);
        return execution;
    }
}
