using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurableTask.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurablePipelines.FunctionApp.Tests.Engine;

/// <summary>
/// The Function App's orchestrator and activity functions hosted on the Durable Task Framework itself: a
/// DurableTask.Core <see cref="TaskHubWorker"/> over any <see cref="IOrchestrationService"/> (in memory, or
/// DurableTask.AzureStorage as Durable Functions uses it), each function wrapped by the public
/// <see cref="DurableTaskShimFactory"/> as the worker extension wraps it, with the app's own serializer. Runs go
/// through real history and replay: a non-deterministic orchestrator fails its run here as it would on Azure.
/// </summary>
internal sealed class FunctionAppTaskHub : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly TaskHubWorker _worker;
    private readonly TaskHubClient _client;
    private readonly CancellationTokenSource _stopping = new();

    private FunctionAppTaskHub(IOrchestrationService service, IOrchestrationServiceClient client, IServiceProvider services, IReadOnlyDictionary<string, ITaskOrchestrator>? replaced)
    {
        Services = services;
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        Converter = new ObjectSerializerDataConverter(services.GetRequiredService<IOptions<WorkerOptions>>().Value.Serializer
            ?? throw new InvalidOperationException("the Function App configures no WorkerOptions.Serializer"));
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = Converter }, loggerFactory);

        _worker = new TaskHubWorker(service, loggerFactory);
        foreach (var (name, function) in AppFunctions.Orchestrators)
        {
            ITaskOrchestrator orchestrator = replaced is not null && replaced.TryGetValue(name, out var replacement)
                ? replacement
                : new FunctionOrchestrator(function, Converter, loggerFactory);

            // The app never reads its parent instance, so the shim is not told it (an ObjectCreator cannot know it).
            _worker.AddTaskOrchestrations(new Creator<TaskOrchestration>(name, () => shims.CreateOrchestration(name, orchestrator, parent: null)));
        }

        foreach (var (name, function) in AppFunctions.Activities)
        {
            var activity = new FunctionActivity(function, services, _stopping.Token);
            _worker.AddTaskActivities(new Creator<TaskActivity>(name, () => shims.CreateActivity(name, activity)));
        }

        _client = new TaskHubClient(client, new CoreJsonDataConverter(Converter), loggerFactory);
    }

    /// <summary>The app's services the activities run with.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The data converter made from the app's serializer.</summary>
    public Microsoft.DurableTask.DataConverter Converter { get; }

    /// <summary>Hosts the app's functions, with <paramref name="replaced"/> orchestrators in place of the app's of the same name.</summary>
    public static async Task<FunctionAppTaskHub> StartAsync(
        IOrchestrationService service,
        IServiceProvider services,
        IReadOnlyDictionary<string, ITaskOrchestrator>? replaced = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        var client = service as IOrchestrationServiceClient ?? throw new ArgumentException("the backend is not also its own client", nameof(service));
        await service.CreateIfNotExistsAsync();
        var hub = new FunctionAppTaskHub(service, client, services, replaced);
        await hub._worker.StartAsync();
        return hub;
    }

    /// <summary>
    /// Starts <see cref="OrchestratorNames.RunPipeline"/> as the Function App's HTTP start does (instance id = run
    /// id), raises the app's <see cref="OrchestrationEvents.Cancel"/> event when <paramref name="cancellationToken"/>
    /// fires, and returns the orchestration's output: the run's record. An orchestration that does not complete
    /// (failed, terminated, or still running after <paramref name="timeout"/>) throws with the engine's reason.
    /// </summary>
    public async Task<PipelineExecution> RunAsync(RunPipelineInput run, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var instance = await _client.CreateOrchestrationInstanceAsync(OrchestratorNames.RunPipeline, string.Empty, run.RunId, run);
        await using var cancel = cancellationToken.Register(() =>
            _ = _client.RaiseEventAsync(instance, OrchestrationEvents.Cancel, "cancelled by a user"));
        var state = await WaitAsync(run.RunId, timeout ?? TimeSpan.FromMinutes(3));
        if (state.OrchestrationStatus != OrchestrationStatus.Completed)
        {
            throw new OrchestrationFailedException(run.RunId, state);
        }

        return Converter.Deserialize<PipelineExecution>(state.Output)
            ?? throw new InvalidOperationException($"orchestration {run.RunId} completed without a record");
    }

    /// <summary>Waits for an instance to reach a final status.</summary>
    public async Task<OrchestrationState> WaitAsync(string instanceId, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var state = await _client.GetOrchestrationStateAsync(instanceId);
            if (state?.OrchestrationStatus is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled)
            {
                return state;
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"orchestration {instanceId} is still {state?.OrchestrationStatus.ToString() ?? "not created"} after {timeout}");
            }

            await Task.Delay(PollInterval, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _worker.StopAsync(isForced: true);
        _worker.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Registers a shim under a function name, version "" (what the worker extension registers).</summary>
    private sealed class Creator<T> : ObjectCreator<T>
    {
        private readonly Func<T> _create;

        public Creator(string name, Func<T> create)
        {
            Name = name;
            Version = string.Empty;
            _create = create;
        }

        public override T Create() => _create();
    }
}
