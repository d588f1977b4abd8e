using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.Durable.Hosting;

/// <summary>
/// Orchestrators and activities written against the Durable Task SDK, hosted on the Durable Task Framework itself:
/// a DurableTask.Core <see cref="TaskHubWorker"/> and <see cref="TaskHubClient"/> over any
/// <see cref="IOrchestrationService"/> (in memory, or DurableTask.AzureStorage as Durable Functions uses it), each
/// wrapped by the SDK's public <see cref="DurableTaskShimFactory"/>, the bridge it provides for other runtimes, with
/// one data converter for inputs, outputs, events and custom status. No gRPC sidecar is involved.
/// </summary>
public sealed class TaskHub : IAsyncDisposable
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(50);

    private static readonly OrchestrationStatus[] s_notEnded = [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.ContinuedAsNew, OrchestrationStatus.Suspended];

    private static readonly OrchestrationStatus[] s_ended = [OrchestrationStatus.Completed, OrchestrationStatus.Failed, OrchestrationStatus.Terminated, OrchestrationStatus.Canceled];

    private readonly TaskHubWorker _worker;
    private readonly TaskHubClient _client;
    private readonly IOrchestrationServicePurgeClient? _purge;
    private readonly ILogger _logger;

    private TaskHub(IOrchestrationService service, IOrchestrationServiceClient client, TaskHubRegistry registry, DataConverter converter, ILoggerFactory loggerFactory)
    {
        Converter = converter;
        _logger = loggerFactory.CreateLogger<TaskHub>();
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = converter }, loggerFactory);
        _worker = new TaskHubWorker(service, loggerFactory);
        foreach (var (name, orchestrator) in registry.Orchestrators)
        {
            // No host here reads its parent instance, and an ObjectCreator cannot know it: the shim is not told it.
            _worker.AddTaskOrchestrations(new Creator<TaskOrchestration>(name, () => shims.CreateOrchestration(name, orchestrator, parent: null)));
        }

        foreach (var (name, activity) in registry.Activities)
        {
            _worker.AddTaskActivities(new Creator<TaskActivity>(name, () => shims.CreateActivity(name, activity)));
        }

        _client = new TaskHubClient(client, new CoreJsonDataConverter(converter), loggerFactory);
        _purge = client as IOrchestrationServicePurgeClient;
    }

    /// <summary>The converter of every payload the hub writes.</summary>
    public DataConverter Converter { get; }

    /// <summary>Creates the backend's resources if needed and starts the worker.</summary>
    public static async Task<TaskHub> StartAsync(IOrchestrationService service, TaskHubRegistry registry, DataConverter converter, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(converter);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var client = service as IOrchestrationServiceClient ?? throw new ArgumentException("the backend is not also its own client", nameof(service));
        await service.CreateIfNotExistsAsync();
        var hub = new TaskHub(service, client, registry, converter, loggerFactory);
        await hub._worker.StartAsync();
        return hub;
    }

    /// <summary>
    /// Starts <see cref="OrchestratorNames.RunPipeline"/> with the run id as instance id, raises
    /// <see cref="OrchestrationEvents.Cancel"/> when <paramref name="cancellationToken"/> fires (the run then ends
    /// Terminated with its not-started tasks Cancelled), reports the run's custom status to
    /// <paramref name="progress"/> as it changes, and returns the orchestration's output: the run's record. An
    /// orchestration that does not complete throws <see cref="OrchestrationFailedException"/> with the engine's reason.
    /// </summary>
    public async Task<PipelineExecution> RunAsync(RunPipelineInput run, Action<RunProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var instance = await CreateAsync(run);
        var state = await WaitAsync(instance, timeout ?? Timeout.InfiniteTimeSpan, progress, cancellationToken);
        if (state.OrchestrationStatus != OrchestrationStatus.Completed)
        {
            throw new OrchestrationFailedException(run.RunId, state);
        }

        return Converter.Deserialize<PipelineExecution>(state.Output)
            ?? throw new OrchestrationFailedException($"orchestration {run.RunId} completed without a record");
    }

    /// <summary>Starts <see cref="OrchestratorNames.RunPipeline"/> with the run id as instance id, and returns at once.</summary>
    public async Task ScheduleAsync(RunPipelineInput run)
    {
        ArgumentNullException.ThrowIfNull(run);
        await CreateAsync(run);
    }

    /// <summary>
    /// Raises <see cref="OrchestrationEvents.Cancel"/> on a run's orchestration if it has not ended; false when there is
    /// no such instance or it has ended.
    /// </summary>
    public Task<bool> TryCancelAsync(string runId) => TryRaiseAsync(runId, OrchestrationEvents.Cancel, "cancelled by a user");

    /// <summary>
    /// Raises <see cref="OrchestrationEvents.Suspension"/> on a run's orchestration if it has not ended: a suspend
    /// (<paramref name="suspended"/> true) or a resume. False when there is no such instance or it has ended.
    /// </summary>
    public Task<bool> TrySetSuspendedAsync(string runId, bool suspended) => TryRaiseAsync(runId, OrchestrationEvents.Suspension, suspended);

    /// <summary>
    /// Raises <see cref="OrchestrationEvents.RunEvent"/> on a run's orchestration if it has not ended; false when there
    /// is no such instance or it has ended.
    /// </summary>
    public Task<bool> TryRaiseEventAsync(string runId, RunEventMessage message) => TryRaiseAsync(runId, OrchestrationEvents.RunEvent, message);

    /// <summary>
    /// Raises <see cref="OrchestrationEvents.Repair"/> on a run's orchestration if it has not ended; false when there is
    /// no such instance or it has ended.
    /// </summary>
    public Task<bool> TryRepairAsync(string runId, RepairMessage repair) => TryRaiseAsync(runId, OrchestrationEvents.Repair, repair);

    private async Task<bool> TryRaiseAsync(string runId, string eventName, object payload)
    {
        var state = await _client.GetOrchestrationStateAsync(runId);
        if (state is null || IsEnded(state.OrchestrationStatus))
        {
            return false;
        }

        await _client.RaiseEventAsync(state.OrchestrationInstance, eventName, payload);
        return true;
    }

    /// <summary>The engine's state of a run's orchestration (status, custom status), or null when it has none.</summary>
    public async Task<(OrchestrationStatus Status, RunProgress? Progress)?> GetStateAsync(string runId)
    {
        var state = await _client.GetOrchestrationStateAsync(runId);
        return state is null
            ? null
            : (state.OrchestrationStatus, state.Status is { Length: > 0 } status ? Converter.Deserialize<RunProgress>(status) : null);
    }

    /// <summary>
    /// Deletes the engine's history and state of every orchestration (runs, pipeline results, task chunks) that has
    /// ended and was created before <paramref name="createdBefore"/>; returns how many. Orchestrations still going are
    /// never touched. Deletions stop starting after <paramref name="timeout"/>; the rest go at the next call.
    /// </summary>
    public async Task<int> PurgeEndedAsync(DateTime createdBefore, TimeSpan timeout)
    {
        var purge = _purge ?? throw new NotSupportedException("this task hub's backend cannot purge history");
        var result = await purge.PurgeInstanceStateAsync(new PurgeInstanceFilter(DateTime.MinValue, createdBefore, s_ended) { Timeout = timeout });
        return result.DeletedInstanceCount;
    }

    /// <summary>
    /// Creates the run's instance, refused while an earlier instance of the run id has not ended and tried again until
    /// it has (<see cref="EndingOrchestration"/>). Without the refusal a create in that moment sent a second start into
    /// the ending instance, which the engine dropped, and the new run stayed Pending for ever (<c>ApiEndpointsStartTests</c>,
    /// one run in three).
    /// </summary>
    private Task<OrchestrationInstance> CreateAsync(RunPipelineInput run) =>
        EndingOrchestration.CreateAsync(
            run.RunId,
            () => _client.CreateOrchestrationInstanceAsync(OrchestratorNames.RunPipeline, string.Empty, run.RunId, run, tags: null, s_notEnded),
            CancellationToken.None);

    private static bool IsEnded(OrchestrationStatus status) => s_ended.Contains(status);

    /// <summary>
    /// Polls the instance until it ends, reporting its custom status on the way. Once <paramref name="cancel"/> fires, the cancel event is sent from this
    /// loop, and sent again on the next poll if sending failed, so a cancel is never lost to a passing storage error.
    /// </summary>
    private async Task<OrchestrationState> WaitAsync(OrchestrationInstance instance, TimeSpan timeout, Action<RunProgress>? progress, CancellationToken cancel)
    {
        using var deadline = new CancellationTokenSource(timeout);
        string? reported = null;
        var cancelSent = false;
        while (true)
        {
            if (cancel.IsCancellationRequested && !cancelSent)
            {
                cancelSent = await TrySendCancelAsync(instance);
            }

            var state = await _client.GetOrchestrationStateAsync(instance.InstanceId);
            if (progress is not null && state?.Status is { Length: > 0 } status && status != reported && Converter.Deserialize<RunProgress>(status) is { } snapshot)
            {
                reported = status;
                progress(snapshot);
            }

            if (state is not null && IsEnded(state.OrchestrationStatus))
            {
                return state;
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"orchestration {instance.InstanceId} is still {state?.OrchestrationStatus.ToString() ?? "not created"} after {timeout}");
            }

            await Task.Delay(s_pollInterval, CancellationToken.None);
        }
    }

    private async Task<bool> TrySendCancelAsync(OrchestrationInstance instance)
    {
        try
        {
            await _client.RaiseEventAsync(instance, OrchestrationEvents.Cancel, "cancelled by a user");
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.CancelNotSent(_logger, instance.InstanceId, ex);
            return false;
        }
    }

    /// <summary>Stops the worker; work in flight is abandoned to the backend, which hands it out again.</summary>
    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync(isForced: true);
        _worker.Dispose();
    }

    /// <summary>Registers a shim under a name, version "" (what Durable Functions registers).</summary>
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
