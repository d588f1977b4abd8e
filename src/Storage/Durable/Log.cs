using Microsoft.Extensions.Logging;

namespace DurablePipelines.Storage.Durable;

/// <summary>Logs of the engine's Azure Storage backend adapter (event ids 3100-3199 of Storage's 3000-3999, docs/architecture.md).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Storage is unavailable: could not {What} an activity of {InstanceId}; trying again in {DelaySeconds} s ({Reason})")]
    public static partial void ActivityFinishRetried(ILogger logger, string what, string? instanceId, double delaySeconds, string reason);
}
