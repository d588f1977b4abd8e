using Microsoft.Extensions.Logging;

namespace DurablePipelines.FunctionApp;

/// <summary>
/// The Function App's logs (event ids 5000-5999, docs/architecture.md; the orchestrators' and store activities' own
/// are in src/Durable), with the run and the task as properties so that Application Insights can query them:
/// infra/README.md has ready KQL that reads these property names.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Run {RunId} scheduled as a {Orchestrator} orchestration")]
    public static partial void RunScheduled(ILogger logger, string runId, string orchestrator);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Cancel sent to run {RunId}")]
    public static partial void CancelSent(ILogger logger, string runId);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Information, Message = "Cancel of run {RunId} refused: no such orchestration is active")]
    public static partial void CancelRefused(ILogger logger, string runId);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Information, Message = "{Function} answered {StatusCode}")]
    public static partial void Answered(ILogger logger, string function, int statusCode);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Queue start accepted run {RunId}")]
    public static partial void QueueStartAccepted(ILogger logger, string? runId);

    [LoggerMessage(EventId = 5021, Level = LogLevel.Warning, Message = "Queue start moved to {PoisonQueue}: {Reason}")]
    public static partial void QueueStartPoisoned(ILogger logger, string poisonQueue, string reason);

    [LoggerMessage(EventId = 5022, Level = LogLevel.Warning, Message = "Queue start will be retried: {Reason}")]
    public static partial void QueueStartRetried(ILogger logger, string reason);

    [LoggerMessage(EventId = 5030, Level = LogLevel.Information, Message = "Loaded {Count} pipelines from {Folder}")]
    public static partial void CatalogLoaded(ILogger logger, int count, string folder);

    [LoggerMessage(EventId = 5031, Level = LogLevel.Warning, Message = "Pipeline file {File} was not loaded: {Errors}")]
    public static partial void CatalogFileSkipped(ILogger logger, string file, string errors);
}
