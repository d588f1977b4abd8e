using DurablePipelines.FunctionApp.Http;
using DurablePipelines.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.FunctionApp.Queues;

/// <summary>Starts runs from the <c>pipeline-starts</c> queue (docs/api.md, Queues).</summary>
public sealed class PipelineQueueFunctions(PipelineApiFactory apis, ILogger<PipelineQueueFunctions> logger)
{
    /// <summary>
    /// Starts the run a message asks for. The run id comes from the message or the pipeline's <c>runIdFrom</c>, so a
    /// redelivered message finds its run active and is accepted without starting a second one. The return value,
    /// when not null, is written to <c>pipeline-starts-poison</c>; host.json sets <c>messageEncoding</c> to
    /// <c>none</c> so that the text arrives as sent, and base64 is decoded here as <c>dp serve</c> decodes it.
    /// </summary>
    [Function(nameof(StartPipelineQueue))]
    [QueueOutput(QueueStarts.PoisonQueue)]
    public async Task<string?> StartPipelineQueue(
        [QueueTrigger(QueueStarts.StartsQueue)] string message,
        [DurableClient] DurableTaskClient client,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var outcome = await apis.Create(client).StartFromQueueAsync(QueueText.Decode(message), context.CancellationToken);
        return QueueStarts.Settle(outcome, message, logger);
    }
}
