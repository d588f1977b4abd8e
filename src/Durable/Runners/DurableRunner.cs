using DurablePipelines.Durable.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;

namespace DurablePipelines.Durable.Runners;

/// <summary>
/// The <c>durable</c> runner: runs a pipeline in this process on the Durable Task engine, through the same
/// orchestrators and activities as the Function App (<see cref="PipelineTaskHub"/>), with real history and replay,
/// on the host's <see cref="TaskHubHost"/>.
/// </summary>
/// <remarks>
/// Progress comes from the orchestration's custom status, as on Azure; the run log rows are reported once the run
/// has saved them, at its end.
/// </remarks>
public sealed class DurableRunner(TaskHubHost host, IRunStore store) : IPipelineRunner
{
    /// <summary>The name <c>Pipelines:Runner</c> and <c>dp run --runner</c> choose it by, and the runner of records.</summary>
    public const string RunnerName = "durable";

    public string Name => RunnerName;

    public async Task<PipelineExecution> RunAsync(RunPipelineInput run, IPipelineReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(reporter);
        var hub = await host.GetAsync();
        var record = await hub.RunAsync(run, reporter.Progress, cancellationToken: cancellationToken);
        foreach (var row in await store.GetLogAsync(run.RunId, CancellationToken.None))
        {
            reporter.StateChanged(row);
        }

        reporter.Finished(record);
        return record;
    }
}
