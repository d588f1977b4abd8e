using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Api;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.FunctionApp.Queues;

/// <summary>
/// What a <c>pipeline-starts</c> message becomes once <see cref="PipelineApi.StartFromQueueAsync"/> has tried it:
/// deleted, poisoned at once with its reason, or left to the runtime's retries.
/// </summary>
internal static class QueueStarts
{
    public const string StartsQueue = "pipeline-starts";

    /// <summary>Where messages that can never start a run go: at once from here, after 5 dequeues from the runtime.</summary>
    public const string PoisonQueue = "pipeline-starts-poison";

    /// <summary>
    /// Settles the message: null when it is done with (the run started, or an active run already holds its id),
    /// the poison message to write when it can never succeed; throws on a transient failure so that the runtime
    /// makes it visible again, and after host.json's <c>maxDequeueCount</c> moves it to the poison queue itself.
    /// </summary>
    public static string? Settle(QueueStartOutcome outcome, string message, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        switch (outcome.Disposition)
        {
            case QueueStartDisposition.Accepted:
                Log.QueueStartAccepted(logger, outcome.RunId);
                return null;
            case QueueStartDisposition.Poison:
                var reason = outcome.Reason ?? "the message can never start a run";
                Log.QueueStartPoisoned(logger, PoisonQueue, reason);
                return PoisonMessage(reason, message);
            case QueueStartDisposition.Retry:
                var why = outcome.Reason ?? "a transient failure";
                Log.QueueStartRetried(logger, why);
                throw new InvalidOperationException($"the start will be retried: {why}");
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Disposition, "unknown queue start disposition");
        }
    }

    /// <summary>The largest message text the queue service takes; host.json sends messages as they are (<c>messageEncoding</c> <c>none</c>).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    // Quotes as few characters as JSON needs, so a message of almost 64 KiB still fits most of the time.
    private static readonly JsonSerializerOptions s_quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The poison message: the reason, and the original text so that it can be fixed and sent again. A text too long
    /// to quote within <see cref="MaxMessageBytes"/> is cut short and says so (<c>messageTruncated</c>,
    /// <c>messageLength</c>): a poison message that does not fit would fail the function, and the runtime would
    /// retry the start five times before poisoning it itself.
    /// </summary>
    public static string PoisonMessage(string reason, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var quoted = message;
        while (true)
        {
            var body = new JsonObject { ["reason"] = reason, ["message"] = quoted };
            if (quoted.Length < message.Length)
            {
                body["messageTruncated"] = true;
                body["messageLength"] = message.Length;
            }

            var text = body.ToJsonString(s_quoting);
            var excess = Encoding.UTF8.GetByteCount(text) - MaxMessageBytes;
            if (excess <= 0 || quoted.Length == 0)
            {
                return text;
            }

            quoted = quoted[..Math.Max(0, quoted.Length - Math.Max(excess, quoted.Length / 8))];
        }
    }
}
