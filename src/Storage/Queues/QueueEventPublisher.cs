using System.Text.Json;
using Azure.Storage.Queues;
using DurablePipelines.Records;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.Storage.Hosting;

namespace DurablePipelines.Storage.Queues;

/// <summary>
/// Publishes run events (<c>StateChanged</c>, <c>Finished</c>) as JSON messages on <c>pipeline-events</c>. An
/// event too large for a queue message is sent without its item and error, marked <c>truncated</c>.
/// </summary>
public sealed class QueueEventPublisher : IRunEventPublisher
{
    private readonly QueueClient _events;
    private readonly bool _base64;
    private readonly TimeProvider _time;
    private readonly EnsureCreated _created;

    /// <summary>A publisher; the queue is created on first use.</summary>
    public QueueEventPublisher(QueueServiceClient queues, StorageOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(options);
        _events = queues.GetQueueClient(options.EventQueue);
        _base64 = options.Base64Messages;
        _time = time ?? TimeProvider.System;
        _created = new EnsureCreated(ct => _events.CreateIfNotExistsAsync(cancellationToken: ct));
    }

    /// <summary>Publishes a status change.</summary>
    public Task PublishStateChangedAsync(StateChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return PublishAsync(
            new PipelineEvent { Type = PipelineEvent.StateChangedType, RunId = change.RunId, Time = change.Time, Status = change.Status, Change = change },
            cancellationToken);
    }

    /// <summary>Publishes the end of a run.</summary>
    public Task PublishFinishedAsync(PipelineExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return PublishAsync(
            new PipelineEvent
            {
                Type = PipelineEvent.FinishedType,
                RunId = execution.RunId,
                Time = execution.FinishedAt ?? _time.GetUtcNow().UtcDateTime,
                Pipeline = execution.Pipeline,
                Status = execution.Status,
                Error = execution.Error,
            },
            cancellationToken);
    }

    /// <summary>Publishes any event.</summary>
    public async Task PublishAsync(PipelineEvent pipelineEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipelineEvent);
        var body = Encode(pipelineEvent)
            ?? Encode(pipelineEvent with { Change = pipelineEvent.Change is null ? null : pipelineEvent.Change with { Item = null, Error = null }, Error = null, Truncated = true })
            ?? throw new InvalidOperationException($"the {pipelineEvent.Type} event of run '{pipelineEvent.RunId}' does not fit a queue message");
        await _created.EnsureAsync(cancellationToken);
        await _events.SendMessageAsync(body, cancellationToken);
    }

    private string? Encode(PipelineEvent pipelineEvent) =>
        QueueText.Encode(JsonSerializer.SerializeToUtf8Bytes(pipelineEvent, PipelineJson.Options), _base64);
}
