using System.Diagnostics;
using DurablePipelines.Records;
using Spectre.Console;

namespace DurablePipelines.LocalHost.Output;

/// <summary>A live view of a run in the terminal, redrawn a few times a second from the reports until the run ends.</summary>
internal static class LiveRunDisplay
{
    private static readonly TimeSpan s_refresh = TimeSpan.FromMilliseconds(150);

    /// <summary>Shows <paramref name="board"/> fed by <paramref name="reporter"/> until <paramref name="run"/> completes, then clears it.</summary>
    public static async Task ShowAsync(IAnsiConsole console, RunBoard board, ChannelReporter reporter, Task<PipelineExecution> run)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(reporter);
        ArgumentNullException.ThrowIfNull(run);
        var clock = Stopwatch.StartNew();
        await console.Live(board.Render(TimeSpan.Zero))
            .AutoClear(true)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async live =>
            {
                while (true)
                {
                    while (reporter.Events.TryRead(out var report))
                    {
                        board.Apply(report);
                    }

                    live.UpdateTarget(board.Render(clock.Elapsed));
                    if (run.IsCompleted)
                    {
                        return;
                    }

                    await Task.WhenAny(run, Task.Delay(s_refresh));
                }
            });
    }
}
