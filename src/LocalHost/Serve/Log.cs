using Microsoft.Extensions.Logging;

namespace DurablePipelines.LocalHost.Serve;

/// <summary>Logs of <c>dp serve</c>, with fixed event ids (2000-2999, the local host's, docs/architecture.md).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "The engine is running; {Count} runs admitted but never started were scheduled")]
    public static partial void Resumed(ILogger logger, int count);
}
