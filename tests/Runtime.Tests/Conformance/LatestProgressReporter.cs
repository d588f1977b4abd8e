using DurablePipelines.Records;
using DurablePipelines.Runners;

namespace DurablePipelines.Tests.Conformance;

/// <summary>Keeps the latest progress a run's own orchestration published (not its sub-orchestrations').</summary>
internal sealed class LatestProgressReporter(string runId) : IPipelineReporter
{
    private RunProgress? _latest;

    public RunProgress? Latest => Volatile.Read(ref _latest);

    public void StateChanged(StateChange change)
    {
    }

    public void Progress(RunProgress progress)
    {
        if (progress.InstanceId == runId)
        {
            Volatile.Write(ref _latest, progress);
        }
    }

    public void Finished(PipelineExecution execution)
    {
    }
}
