using Microsoft.Extensions.Logging;

namespace DurablePipelines.Activities;

/// <summary>Activity-side logs, with fixed event ids (1100-1199 of Runtime's 1000-1999, docs/architecture.md) and the run and task as properties.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Task result {RunId}/{Task}[{TaskResult}] attempt {Attempt} failed: {Reason}")]
    public static partial void AttemptFailed(ILogger logger, string runId, string task, int taskResult, int attempt, string reason);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Task result {RunId}/{Task}[{TaskResult}] attempt {Attempt} stopped: {Reason}")]
    public static partial void AttemptTimedOut(ILogger logger, string runId, string task, int taskResult, int attempt, string reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Iterator of {RunId}/{Task} failed: {Reason}")]
    public static partial void IteratorFailed(ILogger logger, string runId, string? task, string reason);
}
