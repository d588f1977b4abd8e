namespace DurablePipelines.Records;

/// <summary>Publishes run events for other systems, such as the <c>pipeline-events</c> queue.</summary>
public interface IRunEventPublisher
{
    /// <summary>A <c>StateChanged</c> event of the run, a pipeline result or a task.</summary>
    Task PublishStateChangedAsync(StateChange change, CancellationToken cancellationToken);

    /// <summary>The <c>Finished</c> event with the run's final status.</summary>
    Task PublishFinishedAsync(PipelineExecution execution, CancellationToken cancellationToken);
}
