using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using DurablePipelines.Api;
using DurablePipelines.Records;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.Storage.Hosting;
using DurablePipelines.Storage.Payloads;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.Storage.Queues;

/// <summary>
/// Polls <c>pipeline-starts</c> and hands each message's JSON text to a start delegate. Accepted messages are
/// deleted; poison ones go to <c>pipeline-starts-poison</c> with the reason, then are deleted; retried ones (or a
/// delegate that throws) stay, reappear after the visibility timeout, and are poisoned with the last reason on
/// their <see cref="StorageOptions.MaxDequeueCount"/>th dequeue. Nothing is dropped silently. Messages of one
/// batch are handled concurrently, so the delegate must be thread-safe.
/// </summary>
public sealed class QueueStartListener
{
    // Poison messages never expire: someone has to look at them.
    private static readonly TimeSpan s_neverExpires = TimeSpan.FromSeconds(-1);

    private readonly StorageOptions _options;
    private readonly Func<string, CancellationToken, Task<QueueStartOutcome>> _start;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly QueueClient _starts;
    private readonly QueueClient _poison;
    private readonly BlobContainerClient _overflow;
    private readonly EnsureCreated _created;

    /// <summary>A listener; queues and the overflow container are created on first poll.</summary>
    /// <param name="queues">The account's queues (raw text, see <see cref="StorageClients.CreateQueueServiceClient(DurablePipelines.Storage.Hosting.StorageOptions, StorageUse)"/>).</param>
    /// <param name="blobs">The account's blobs, for poison messages too large to quote.</param>
    /// <param name="options">Queue names, visibility timeout, dequeue limit and poll intervals.</param>
    /// <param name="start">Starts the run of one message's JSON text and says what to do with the message.</param>
    /// <param name="logger">Where decisions are logged.</param>
    /// <param name="time">The clock for backoff delays and poison times.</param>
    public QueueStartListener(
        QueueServiceClient queues,
        BlobServiceClient blobs,
        StorageOptions options,
        Func<string, CancellationToken, Task<QueueStartOutcome>> start,
        ILogger<QueueStartListener> logger,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(logger);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
        }

        _options = options;
        _start = start;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _starts = queues.GetQueueClient(options.StartQueue);
        _poison = queues.GetQueueClient(options.PoisonQueue);
        _overflow = blobs.GetBlobContainerClient(options.PayloadsContainer);
        _created = new EnsureCreated(async ct =>
        {
            await _starts.CreateIfNotExistsAsync(cancellationToken: ct);
            await _poison.CreateIfNotExistsAsync(cancellationToken: ct);
        });
    }

    /// <summary>Polls until cancelled, backing off from the minimum to the maximum poll interval while idle.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Log.Listening(_logger, _options.StartQueue);
        var idle = _options.MinPollInterval;
        while (!cancellationToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                handled = await PollOnceAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RequestFailedException or AggregateException or HttpRequestException)
            {
                // Storage unreachable or refusing: keep the listener alive and try again after the idle wait.
                Log.PollFailed(_logger, e, _options.StartQueue);
            }

            if (handled > 0)
            {
                idle = _options.MinPollInterval;
                continue;
            }

            try
            {
                await Task.Delay(idle, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _options.MaxPollInterval.Ticks));
        }
    }

    /// <summary>Receives one batch and handles every message in it; returns how many were received.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        await _created.EnsureAsync(cancellationToken);
        QueueMessage[] messages = (await _starts.ReceiveMessagesAsync(_options.ReceiveBatchSize, _options.VisibilityTimeout, cancellationToken)).Value;
        await Parallel.ForEachAsync(
            messages,
            new ParallelOptions { MaxDegreeOfParallelism = _options.StartConcurrency, CancellationToken = cancellationToken },
            async (message, ct) =>
            {
                try
                {
                    await HandleAsync(message, ct);
                }
                catch (RequestFailedException e)
                {
                    // Storage failed mid-way: the message stays in the queue and is handled again.
                    Log.HandleFailed(_logger, e, message.MessageId);
                }
            });
        return messages.Length;
    }

    private async Task HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var text = QueueText.Decode(message.Body.ToString());
        if (message.DequeueCount > _options.MaxDequeueCount)
        {
            // A handling that should have poisoned it died mid-way: poison it now rather than start it again.
            await PoisonAsync(message, text, $"dequeued {message.DequeueCount} times, more than {_options.MaxDequeueCount}, without a decision", cancellationToken);
            return;
        }

        QueueStartOutcome outcome;
        try
        {
            outcome = await _start(text, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // A start that throws is a transient failure by contract: retried, then poisoned.
            Log.StartThrew(_logger, e, message.MessageId);
            outcome = new QueueStartOutcome(QueueStartDisposition.Retry, null, $"{e.GetType().Name}: {e.Message}");
        }

        switch (outcome.Disposition)
        {
            case QueueStartDisposition.Accepted:
                Log.StartAccepted(_logger, message.MessageId, outcome.RunId);
                await DeleteAsync(message, cancellationToken);
                break;
            case QueueStartDisposition.Poison:
                await PoisonAsync(message, text, outcome.Reason ?? "refused without a reason", cancellationToken);
                break;
            default:
                var reason = outcome.Reason ?? "retry requested without a reason";
                if (message.DequeueCount >= _options.MaxDequeueCount)
                {
                    await PoisonAsync(message, text, $"gave up after {message.DequeueCount} attempts: {reason}", cancellationToken);
                }
                else
                {
                    Log.StartRetrying(_logger, message.MessageId, message.DequeueCount, _options.MaxDequeueCount, reason);
                }

                break;
        }
    }

    private async Task PoisonAsync(QueueMessage message, string text, string reason, CancellationToken cancellationToken)
    {
        var poison = new PoisonMessage
        {
            Reason = reason,
            Message = text,
            DequeueCount = message.DequeueCount,
            Time = _time.GetUtcNow().UtcDateTime,
            MessageId = message.MessageId,
        };
        var body = QueueText.Encode(JsonSerializer.SerializeToUtf8Bytes(poison, PipelineJson.Options), _options.Base64Messages);
        if (body is null)
        {
            // Quoting the text would pass the 64 KiB limit: keep it in a blob and point at it.
            await _overflow.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            var blobName = $"{_options.PoisonQueue}/{BlobNames.Segment(message.MessageId)}.txt";
            var upload = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/plain; charset=utf-8" } };
            await _overflow.GetBlobClient(blobName).UploadAsync(BinaryData.FromString(text), upload, cancellationToken);
            var reference = $"{BlobPayloadStore.Scheme}{_overflow.Name}/{blobName}";
            Log.PoisonOverflow(_logger, message.MessageId, reference);
            poison = poison with { Message = null, MessageBlob = reference };
            body = QueueText.Encode(JsonSerializer.SerializeToUtf8Bytes(poison, PipelineJson.Options), _options.Base64Messages);

            // A reason too long to fit beside it is cut short rather than leave the message to be handled again.
            for (var keep = reason.Length / 2; body is null && keep > 0; keep /= 2)
            {
                poison = poison with { Reason = $"{reason[..keep]}… ({reason.Length} characters)" };
                body = QueueText.Encode(JsonSerializer.SerializeToUtf8Bytes(poison, PipelineJson.Options), _options.Base64Messages);
            }

            if (body is null)
            {
                throw new InvalidOperationException($"the poison message for {message.MessageId} does not fit a queue message");
            }
        }

        await _poison.SendMessageAsync(body, visibilityTimeout: null, timeToLive: s_neverExpires, cancellationToken);
        Log.StartPoisoned(_logger, message.MessageId, message.DequeueCount, reason);
        await DeleteAsync(message, cancellationToken);
    }

    private async Task DeleteAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _starts.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 400)
        {
            // The visibility timeout passed while the start ran: another receive owns the message now.
            Log.DeleteFailed(_logger, message.MessageId, e.ErrorCode ?? e.Message);
        }
    }
}
