using Microsoft.Extensions.Logging;

namespace DurablePipelines.Storage.Queues;

/// <summary>Queue adapter logs, with fixed event ids (3000-3099 of Storage's 3000-3999, docs/architecture.md) and the message id as a property.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Listening for starts on queue {Queue}")]
    public static partial void Listening(ILogger logger, string queue);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Start message {MessageId} accepted: run {RunId}")]
    public static partial void StartAccepted(ILogger logger, string messageId, string? runId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Start message {MessageId} poisoned after {DequeueCount} dequeues: {Reason}")]
    public static partial void StartPoisoned(ILogger logger, string messageId, long dequeueCount, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Start message {MessageId} will be retried (dequeue {DequeueCount} of {MaxDequeueCount}): {Reason}")]
    public static partial void StartRetrying(ILogger logger, string messageId, long dequeueCount, int maxDequeueCount, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Starting the run of message {MessageId} threw; treated as a retry")]
    public static partial void StartThrew(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Polling queue {Queue} failed; backing off")]
    public static partial void PollFailed(ILogger logger, Exception exception, string queue);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Start message {MessageId} could not be deleted and will be seen again: {Reason}")]
    public static partial void DeleteFailed(ILogger logger, string messageId, string reason);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Start message {MessageId} is too large to quote in the poison queue; its text is in {Blob}")]
    public static partial void PoisonOverflow(ILogger logger, string messageId, string blob);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Error, Message = "Handling start message {MessageId} failed; it will be seen again")]
    public static partial void HandleFailed(ILogger logger, Exception exception, string messageId);
}
