using DurablePipelines.Activities;
using DurablePipelines.Durable.Activities;
using DurablePipelines.Durable.Orchestrators;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurablePipelines.Durable.Hosting;

/// <summary>
/// What a host on the Durable Task engine registers: the three orchestrators and six activities, under the names
/// the Function App's functions have, with the JSON shape every host writes (<see cref="PipelineJson.Options"/>).
/// </summary>
public static class PipelineTaskHub
{
    /// <summary>The converter of inputs, outputs, events and custom status: the records' own camelCase, string-enum shape.</summary>
    public static DataConverter Converter { get; } = new JsonDataConverter(PipelineJson.Options);

    /// <summary>
    /// A DurableTask.Core client of <paramref name="backend"/> that writes inputs and events with <see cref="Converter"/>,
    /// as the hub's own client does (DurableTask.Core's default converter is Newtonsoft's, which cannot write the
    /// records' <c>JsonNode</c>s).
    /// </summary>
    public static DurableTask.Core.TaskHubClient CreateClient(DurableTask.Core.IOrchestrationServiceClient backend, ILoggerFactory? loggerFactory = null) =>
        new(backend, new CoreJsonDataConverter(Converter), loggerFactory ?? NullLoggerFactory.Instance);

    /// <summary>
    /// The registrations over <paramref name="services"/> (which hold <see cref="PipelineActivities"/> and
    /// <see cref="RunStoreActivities"/>); activities see <paramref name="stopping"/> as their cancellation token.
    /// </summary>
    public static TaskHubRegistry CreateRegistry(IServiceProvider services, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(services);
        var activities = services.GetRequiredService<PipelineActivities>();
        var store = services.GetRequiredService<RunStoreActivities>();
        return new TaskHubRegistry()
            .Orchestrator(OrchestratorNames.RunPipeline, new RunPipelineOrchestrator())
            .Orchestrator(OrchestratorNames.RunPipelineItem, new RunPipelineItemOrchestrator())
            .Orchestrator(OrchestratorNames.RunTaskChunk, new RunTaskChunkOrchestrator())
            .Activity(ActivityNames.RunTaskResult, new Activity<TaskResultRequest, TaskResultOutcome>(activities.RunTaskResultAsync, stopping))
            .Activity(ActivityNames.ResolveIterator, new Activity<IteratorRequest, IteratorOutcome>(activities.ResolveIteratorAsync, stopping))
            .Activity(ActivityNames.StorePayload, new Activity<StorePayloadRequest, string>(activities.StorePayloadAsync, stopping))
            .Activity(RunStoreActivities.MarkRunStarted, new Activity<MarkRunStartedRequest, object?>(
                async (request, token) => { await store.MarkRunStartedAsync(request, token); return null; }, stopping))
            .Activity(RunStoreActivities.SaveRunRecord, new Activity<SaveRunRecordRequest, object?>(
                async (request, token) => { await store.SaveRunRecordAsync(request, token); return null; }, stopping))
            .Activity(RunStoreActivities.AppendRunLog, new Activity<AppendRunLogRequest, object?>(
                async (request, token) => { await store.AppendRunLogAsync(request, token); return null; }, stopping));
    }

    /// <summary>An activity body bound to the host's stopping token (the engine gives activities none of their own).</summary>
    private sealed class Activity<TInput, TOutput>(Func<TInput, CancellationToken, Task<TOutput>> body, CancellationToken stopping) : TaskActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => body(input, stopping);
    }
}
