using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.FunctionApp.Orchestrators;

/// <summary>
/// The record of a run whose orchestration failed outside its tasks (an activity or sub-orchestration that threw,
/// a serialization error): saved as <see cref="RunStatus.Failed"/> so the run id is released and the failure is
/// visible in the API, never left Running.
/// </summary>
internal static class RunRecords
{
    public static PipelineExecution Crashed(RunPipelineInput input, DateTime startedAt, DateTime finishedAt, Exception exception) => new()
    {
        RunId = input.RunId,
        Pipeline = input.Definition.Name,
        Version = input.Definition.Version,
        Runner = input.Runner,
        Status = RunStatus.Failed,
        CreatedAt = input.CreatedAt,
        StartedAt = startedAt,
        FinishedAt = finishedAt,
        Input = input.Input,
        Error = TaskError.From(exception),
        Metadata = input.Definition.Metadata,
    };

    public static StateChange CrashedChange(PipelineExecution record) => new()
    {
        Time = record.FinishedAt ?? record.CreatedAt,
        RunId = record.RunId,
        Action = nameof(RunStatus.Failed),
        Status = RunStatus.Failed,
        Error = record.Error,
    };
}
