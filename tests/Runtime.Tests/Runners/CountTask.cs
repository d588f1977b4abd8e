using System.Text.Json.Nodes;
using DurablePipelines.Handlers;

namespace DurablePipelines.Tests.Runners;

/// <summary>A handler that counts its runs and the most of them running at once.</summary>
internal sealed class CountTask : IPipelineTask
{
    private int _runs;
    private int _running;
    private int _mostAtOnce;

    /// <summary>How long each run takes, so that runs a runner let overlap do.</summary>
    public TimeSpan Sleep { get; init; }

    public int Runs => Volatile.Read(ref _runs);

    public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

    public async Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runs);
        var running = Interlocked.Increment(ref _running);
        int most;
        while (running > (most = Volatile.Read(ref _mostAtOnce)) && Interlocked.CompareExchange(ref _mostAtOnce, running, most) != most)
        {
        }

        try
        {
            if (Sleep > TimeSpan.Zero)
            {
                await Task.Delay(Sleep, cancellationToken);
            }

            return null;
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
