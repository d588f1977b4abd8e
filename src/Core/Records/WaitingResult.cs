namespace DurablePipelines.Records;

/// <summary>
/// A task result whose last attempt failed and that waits for an operator to retry, skip or fail it
/// (<c>POST /api/runs/{runId}/results/{pipelineResult}/{task}/{taskResult}/retry|skip|fail</c>).
/// </summary>
/// <param name="PipelineResult">The pipeline result's index.</param>
/// <param name="Task">The task's name.</param>
/// <param name="TaskResult">The task result's index.</param>
/// <param name="Attempts">The attempts made so far.</param>
/// <param name="Error">Why the last attempt failed.</param>
/// <param name="Since">When it began to wait (UTC).</param>
/// <param name="Until">When the wait times out and the result fails (UTC); null without a timeout.</param>
public sealed record WaitingResult(int PipelineResult, string Task, int TaskResult, int Attempts, TaskError? Error, DateTime Since, DateTime? Until);
