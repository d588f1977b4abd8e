using Microsoft.Extensions.Logging;

namespace DurablePipelines.LocalDurable;

/// <summary>Logs of the local durable runner, with fixed event ids and the run as a property.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning, Message = "Run {RunId}: writing the {What} failed: {Reason}")]
    public static partial void StoreWriteFailed(ILogger logger, string runId, string what, string reason);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Run {RunId} resumed: {Checkpoints} recorded activity results will be replayed")]
    public static partial void RunResumed(ILogger logger, string runId, int checkpoints);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Run {RunId} finished {Status}: {Executed} activities executed, {Replayed} replayed")]
    public static partial void RunFinished(ILogger logger, string runId, Records.RunStatus status, int executed, int replayed);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Error, Message = "Run {RunId} failed in the engine")]
    public static partial void RunCrashed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "Run {RunId} cannot resume: {Reason}")]
    public static partial void ResumeImpossible(ILogger logger, string runId, string reason);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information, Message = "Run {RunId} left for the next start: the host is stopping")]
    public static partial void RunLeftForRestart(ILogger logger, string runId);
}
