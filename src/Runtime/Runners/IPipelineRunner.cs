using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Runners;

/// <summary>
/// Executes one pipeline execution and reports on it: the C# form of the seeds'
/// <c>start_runner(pipeline_execution, reporter)</c>. Built in: <c>eager</c> and <c>parallel</c>; a custom
/// runner is registered by name with <c>AddPipelineRunner</c> and chosen with <c>Pipelines:Runner</c>.
/// </summary>
public interface IPipelineRunner
{
    /// <summary>The name configuration chooses it by.</summary>
    string Name { get; }

    /// <summary>
    /// Runs to the end and returns the final record. Cancelling <paramref name="cancellationToken"/> cancels the
    /// run: nothing new starts, not-started task results end Cancelled and the run ends Terminated.
    /// </summary>
    Task<PipelineExecution> RunAsync(RunPipelineInput run, IPipelineReporter reporter, CancellationToken cancellationToken);
}
