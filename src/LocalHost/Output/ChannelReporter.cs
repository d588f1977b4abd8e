using System.Threading.Channels;
using DurablePipelines.Records;
using DurablePipelines.Runners;

namespace DurablePipelines.LocalHost.Output;

/// <summary>
/// Hands every report to a display without blocking the run: the orchestration thread only writes to an
/// unbounded channel; a display reads it at its own pace. Items are <see cref="StateChange"/> and
/// <see cref="RunProgress"/>; the channel completes when the run finishes.
/// </summary>
internal sealed class ChannelReporter : IPipelineReporter
{
    private readonly Channel<object> _events = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The reports, in the order the run made them.</summary>
    public ChannelReader<object> Events => _events.Reader;

    public void StateChanged(StateChange change) => _events.Writer.TryWrite(change);

    public void Progress(RunProgress progress) => _events.Writer.TryWrite(progress);

    public void Finished(PipelineExecution execution) => Complete();

    /// <summary>Ends the stream, also when the runner threw before <see cref="Finished"/>.</summary>
    public void Complete() => _events.Writer.TryComplete();
}
