using DurablePipelines.Durable.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using DurableTask.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.Durable.Runners;

/// <summary>
/// The <c>durable</c> runner: runs a pipeline in this process on the Durable Task engine, through the same
/// orchestrators and activities as the Function App (<see cref="PipelineTaskHub"/>), with real history and replay,
/// over the backend <paramref name="createBackend"/> makes. The hub starts with the first run and stops with the runner.
/// </summary>
/// <remarks>
/// Progress comes from the orchestration's custom status, as on Azure; the run log rows are reported once the run
/// has saved them, at its end.
/// </remarks>
public sealed class DurableRunner(IServiceProvider services, Func<IOrchestrationService> createBackend) : IPipelineRunner, IAsyncDisposable
{
    /// <summary>The name <c>Pipelines:Runner</c> and <c>dp run --runner</c> choose it by.</summary>
    public const string RunnerName = "durable";

    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private TaskHub? _hub;

    public string Name => RunnerName;

    public async Task<PipelineExecution> RunAsync(RunPipelineInput run, IPipelineReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(reporter);
        var hub = await StartedHubAsync();
        var record = await hub.RunAsync(run, reporter.Progress, cancellationToken: cancellationToken);
        foreach (var row in await services.GetRequiredService<IRunStore>().GetLogAsync(run.RunId, CancellationToken.None))
        {
            reporter.StateChanged(row);
        }

        reporter.Finished(record);
        return record;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        _stopping.Dispose();
        _starting.Dispose();
    }

    private async Task<TaskHub> StartedHubAsync()
    {
        await _starting.WaitAsync();
        try
        {
            return _hub ??= await TaskHub.StartAsync(
                createBackend(),
                PipelineTaskHub.CreateRegistry(services, _stopping.Token),
                PipelineTaskHub.Converter,
                services.GetRequiredService<ILoggerFactory>());
        }
        finally
        {
            _starting.Release();
        }
    }
}
