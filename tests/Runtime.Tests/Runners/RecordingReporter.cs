using System.Collections.Concurrent;
using DurablePipelines.Records;
using DurablePipelines.Runners;

namespace DurablePipelines.Tests.Runners;

/// <summary>A reporter that keeps everything it is given, for tests to read (calls may come from several threads).</summary>
internal sealed class RecordingReporter : IPipelineReporter
{
    public ConcurrentQueue<StateChange> Changes { get; } = new();

    public ConcurrentQueue<RunProgress> Progresses { get; } = new();

    public ConcurrentQueue<PipelineExecution> Finishes { get; } = new();

    public void StateChanged(StateChange change) => Changes.Enqueue(change);

    public void Progress(RunProgress progress) => Progresses.Enqueue(progress);

    public void Finished(PipelineExecution execution) => Finishes.Enqueue(execution);
}
