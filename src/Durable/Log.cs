using DurablePipelines.Records;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.Durable;

/// <summary>
/// Logs of the orchestrator and store-activity bodies (event ids 4000-4999, docs/architecture.md),
/// with the run and the task as properties so that Application Insights can query them.
/// </summary>
internal static partial class Log
{
    /// <summary>Category of the orchestrators' replay-safe logger; the Function App sends "DurablePipelines" at Information to Application Insights.</summary>
    public const string OrchestrationCategory = "DurablePipelines.FunctionApp.Orchestration";

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Run {RunId} {Action}: {Status} (pipeline result {PipelineResult}, task {Task}, task result {TaskResult}, attempt {Attempt})")]
    public static partial void StateChanged(ILogger logger, string runId, StateAction action, RunStatus status, int? pipelineResult, string? task, int? taskResult, int? attempt);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Run {RunId} {Action}: {Status} (pipeline result {PipelineResult}, task {Task}, task result {TaskResult}, attempt {Attempt}): {ErrorType}: {ErrorMessage}")]
    public static partial void StateFailed(ILogger logger, string runId, StateAction action, RunStatus status, int? pipelineResult, string? task, int? taskResult, int? attempt, string errorType, string errorMessage);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Run {RunId} of pipeline {Pipeline} finished {Status} in {DurationMs} ms: {TaskResults} task results, {FailedTaskResults} failed")]
    public static partial void RunFinished(ILogger logger, string runId, string pipeline, RunStatus status, double durationMs, int taskResults, int failedTaskResults);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Run {RunId} failed outside its tasks; its record is saved as Failed")]
    public static partial void RunCrashed(ILogger logger, string runId, Exception exception);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "The cancel of run {RunId} could not be sent; it is sent again on the next poll")]
    public static partial void CancelNotSent(ILogger logger, string runId, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Events of run {RunId} could not be published on the events queue and were dropped; the run log and record have them")]
    public static partial void EventNotPublished(ILogger logger, string runId, Exception exception);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Run {RunId} scheduled on the engine")]
    public static partial void RunScheduled(ILogger logger, string runId);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "The engine could not {What} run {RunId}")]
    public static partial void EngineUnavailable(ILogger logger, string runId, string what, Exception exception);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Run {RunId} was scheduled, but the run as admitted could not be kept for a rerun: a rerun of it will be refused")]
    public static partial void RunNotPinned(ILogger logger, string runId, Exception exception);
}
