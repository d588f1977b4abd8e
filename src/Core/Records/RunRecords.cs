using DurablePipelines.Orchestration;

namespace DurablePipelines.Records;

/// <summary>Records of a run outside its orchestration's own output: when it is admitted, and when the engine fails.</summary>
public static class RunRecords
{
    /// <summary>The record of an admitted run that has not started.</summary>
    public static PipelineExecution Pending(RunPipelineInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new PipelineExecution
        {
            RunId = input.RunId,
            Pipeline = input.Definition.Name,
            Version = input.Definition.Version,
            Runner = input.Runner,
            Status = RunStatus.Pending,
            CreatedAt = input.CreatedAt,
            Input = input.Input?.DeepClone(),
            Metadata = input.Definition.Metadata,
            RerunOf = input.Rerun?.SourceRunId,
        };
    }

    /// <summary>
    /// The record of a run whose orchestration failed outside its tasks (an activity or sub-orchestration that threw,
    /// a serialization error, a bug): <see cref="RunStatus.Failed"/>, so the run id is released and the failure is
    /// visible in the API, never left Running.
    /// </summary>
    public static PipelineExecution Crashed(RunPipelineInput input, DateTime? startedAt, DateTime finishedAt, Exception exception) => Pending(input) with
    {
        Status = RunStatus.Failed,
        StartedAt = startedAt,
        FinishedAt = finishedAt,
        Error = new TaskError(exception.GetType().FullName ?? exception.GetType().Name, $"the engine failed: {exception.Message}"),
    };

    /// <summary>The run log row of <see cref="Crashed"/>.</summary>
    public static StateChange CrashedChange(PipelineExecution record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new StateChange
        {
            Time = record.FinishedAt ?? record.CreatedAt,
            RunId = record.RunId,
            Action = StateAction.Failed,
            Status = RunStatus.Failed,
            Error = record.Error,
        };
    }

    /// <summary>
    /// True when <paramref name="record"/> is the pending record of the run admitted at <paramref name="createdAt"/>
    /// (<see cref="IRunStore.MarkStartedAsync"/>): not one of a later run with the same id, nor one already started or finished.
    /// </summary>
    public static bool CanStart(PipelineExecution record, DateTime createdAt)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Status == RunStatus.Pending && record.CreatedAt == createdAt;
    }

    /// <summary>The pending record of a run that has started: <see cref="RunStatus.Running"/> since <paramref name="startedAt"/>.</summary>
    public static PipelineExecution Started(PipelineExecution record, DateTime startedAt)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record with { Status = RunStatus.Running, StartedAt = startedAt };
    }
}
