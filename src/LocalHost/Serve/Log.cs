using Microsoft.Extensions.Logging;

namespace DurablePipelines.LocalHost.Serve;

/// <summary>Logs of <c>dp serve</c>, with fixed event ids (2000-2999, the local host's, docs/architecture.md).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "The engine is running; {Count} runs admitted but never started were scheduled")]
    public static partial void Resumed(ILogger logger, int count);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Purged the engine's history of {Count} ended orchestrations created before {CreatedBefore:O}")]
    public static partial void HistoryPurged(ILogger logger, int count, DateTime createdBefore);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "The engine's history could not be purged now; the next sweep, in {Interval}, tries again")]
    public static partial void HistoryNotPurged(ILogger logger, TimeSpan interval, Exception exception);
}
