using Microsoft.Extensions.Logging;

namespace DurablePipelines.Api;

/// <summary>API logs, with fixed event ids (1200-1299 of Runtime's 1000-1999, docs/architecture.md) and the run as a property.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Run {RunId} of {Pipeline} accepted from {Source}")]
    public static partial void RunAccepted(ILogger logger, string runId, string pipeline, string source);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Cancel requested for run {RunId}")]
    public static partial void RunCancelRequested(ILogger logger, string runId);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "A start of {Pipeline} from the queue failed while it was planned; it is poisoned, as a retry would fail the same way")]
    public static partial void QueueStartUnplannable(ILogger logger, Exception exception, string pipeline);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Run store unavailable, answered 503: {Reason}")]
    public static partial void StoreUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "{Action} requested for run {RunId}")]
    public static partial void RunSuspensionRequested(ILogger logger, string runId, string action);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "Event {Name} raised on run {RunId}")]
    public static partial void RunEventRaised(ILogger logger, string runId, string name);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Information, Message = "{Action} of result {Result} requested for run {RunId}")]
    public static partial void ResultRepaired(ILogger logger, string runId, string result, string action);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Warning, Message = "Run {RunId} started, but the definition and input it runs with could not be kept for a rerun; a rerun of it will be refused")]
    public static partial void RunNotPinned(ILogger logger, Exception exception, string runId);
}
