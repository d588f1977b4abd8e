using DurablePipelines.Durable.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurableTask.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurablePipelines.FunctionApp.Tests.Engine;

/// <summary>
/// The Function App's orchestrator and activity functions hosted on the Durable Task Framework itself (the
/// project's <see cref="TaskHub"/>: a DurableTask.Core worker over any backend, each function wrapped by the SDK's
/// public shim factory), called as the Functions worker calls them, with the data converter made from the app's own
/// <c>WorkerOptions.Serializer</c>. Runs go through real history and replay: a non-deterministic orchestrator fails
/// its run here as it would on Azure.
/// </summary>
internal sealed class FunctionAppTaskHub : IAsyncDisposable
{
    private readonly TaskHub _hub;
    private readonly CancellationTokenSource _stopping;

    private FunctionAppTaskHub(TaskHub hub, CancellationTokenSource stopping, IServiceProvider services)
    {
        _hub = hub;
        _stopping = stopping;
        Services = services;
    }

    /// <summary>The app's services the activities run with.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The data converter made from the app's serializer.</summary>
    public DataConverter Converter => _hub.Converter;

    /// <summary>Hosts the app's functions, with <paramref name="replaced"/> orchestrators in place of the app's of the same name.</summary>
    public static async Task<FunctionAppTaskHub> StartAsync(
        IOrchestrationService service,
        IServiceProvider services,
        IReadOnlyDictionary<string, ITaskOrchestrator>? replaced = null)
    {
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        var converter = new ObjectSerializerDataConverter(services.GetRequiredService<IOptions<WorkerOptions>>().Value.Serializer
            ?? throw new InvalidOperationException("the Function App configures no WorkerOptions.Serializer"));
        var stopping = new CancellationTokenSource();
        var registry = new TaskHubRegistry();
        foreach (var (name, function) in AppFunctions.Orchestrators)
        {
            registry.Orchestrator(name, replaced is not null && replaced.TryGetValue(name, out var replacement)
                ? replacement
                : new FunctionOrchestrator(function, converter, loggerFactory));
        }

        foreach (var (name, function) in AppFunctions.Activities)
        {
            registry.Activity(name, new FunctionActivity(function, services, stopping.Token));
        }

        return new FunctionAppTaskHub(await TaskHub.StartAsync(service, registry, converter, loggerFactory), stopping, services);
    }

    /// <summary>
    /// Starts the run as the Function App's HTTP start does (instance id = run id), cancels it with the app's cancel
    /// event when <paramref name="cancellationToken"/> fires, and returns its record; a run that does not complete
    /// within <paramref name="timeout"/> (3 minutes by default) throws with the engine's reason.
    /// </summary>
    public Task<PipelineExecution> RunAsync(RunPipelineInput run, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _hub.RunAsync(run, progress: null, timeout ?? TimeSpan.FromMinutes(3), cancellationToken);

    /// <summary>Raises the suspension event on a run, as the app's <c>SuspendRun</c> and <c>ResumeRun</c> do.</summary>
    public Task<bool> TrySetSuspendedAsync(string runId, bool suspended) => _hub.TrySetSuspendedAsync(runId, suspended);

    /// <summary>Raises an event on a run, as the app's <c>RaiseRunEvent</c> does.</summary>
    public Task<bool> TryRaiseEventAsync(string runId, Orchestration.RunEventMessage message) => _hub.TryRaiseEventAsync(runId, message);

    /// <summary>Raises an operator's repair on a run, as the app's <c>RepairResult</c> does.</summary>
    public Task<bool> TryRepairAsync(string runId, Orchestration.RepairMessage repair) => _hub.TryRepairAsync(runId, repair);

    /// <summary>The run's custom status, as the app's <c>GetRun</c> reads it.</summary>
    public async Task<RunProgress?> GetProgressAsync(string runId) => (await _hub.GetStateAsync(runId))?.Progress;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _hub.DisposeAsync();
        _stopping.Dispose();
    }
}
