using Microsoft.Extensions.Logging;

namespace DurablePipelines.LocalHost.Serve;

/// <summary>Logs of <c>dp serve</c>, with fixed event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "The engine is running; {Count} runs admitted but never started were scheduled")]
    public static partial void Resumed(ILogger logger, int count);
}
