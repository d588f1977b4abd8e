using DurablePipelines.Records;

namespace DurablePipelines.Runners;

/// <summary>A reporter that ignores everything.</summary>
public sealed class NullReporter : IPipelineReporter
{
    /// <summary>The shared instance.</summary>
    public static NullReporter Instance { get; } = new();

    /// <inheritdoc />
    public void StateChanged(StateChange change)
    {
    }

    /// <inheritdoc />
    public void Progress(RunProgress progress)
    {
    }

    /// <inheritdoc />
    public void Finished(PipelineExecution execution)
    {
    }
}
