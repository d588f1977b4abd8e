using DurablePipelines.Records;

namespace DurablePipelines.Runners;

/// <summary>
/// Receives every status change of a run (<c>StateChanged</c>), live progress after every scheduling step
/// (<c>Progress</c>) and the final record (<c>Finished</c>). Calls come in order from the run's orchestration
/// and must return quickly: queue slow work (storage, network) instead of doing it inline.
/// </summary>
public interface IPipelineReporter
{
    /// <summary>A status change at any level; also a run log row.</summary>
    void StateChanged(StateChange change);

    /// <summary>Live progress of one orchestration instance.</summary>
    void Progress(RunProgress progress);

    /// <summary>The run ended; <paramref name="execution"/> is its final record.</summary>
    void Finished(PipelineExecution execution);
}
