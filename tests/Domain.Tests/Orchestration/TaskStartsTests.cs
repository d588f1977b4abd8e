using System.Collections.Concurrent;
using DurablePipelines.Definitions;
using DurablePipelines.Graph;
using DurablePipelines.Orchestration;
using DurablePipelines.Tests.LocalDurable;

namespace DurablePipelines.Tests.Orchestration;

public class TaskStartsTests
{
    // a -> b, a -> c, (b, c) -> d
    private static readonly TaskGraph s_diamond = TaskGraph.Create(new PipelineBuilder("diamond")
        .Task("a", "echo")
        .Task("b", "echo", t => t.After("a"))
        .Task("c", "echo", t => t.After("a"))
        .Task("d", "echo", t => t.After("b", "c"))
        .Build());

    [Fact]
    public async Task RunAllAsync_Diamond_StartsEachTaskOnlyAfterAllItsParentsEnded()
    {
        var log = new ConcurrentQueue<string>();
        var gates = Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        TaskStarts? starts = null;
        starts = new TaskStarts(s_diamond, async t =>
        {
            log.Enqueue($"start {s_diamond.Tasks[t].Name}");
            try
            {
                await gates[t].Task;
            }
            finally
            {
                log.Enqueue($"end {s_diamond.Tasks[t].Name}");
                starts!.Ended(t);
            }
        });

        var all = starts.RunAllAsync();
        gates[0].SetResult();
        await Eventually.TrueAsync(() => log.Contains("start c"), "c started");
        gates[2].SetResult();
        await Eventually.TrueAsync(() => log.Contains("end c"), "c ended");
        Assert.DoesNotContain("start d", log);
        gates[1].SetResult();
        await Eventually.TrueAsync(() => log.Contains("start d"), "d started");
        gates[3].SetResult();
        await all.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["start a", "end a", "start b", "start c", "end c", "end b", "start d", "end d"], log);
    }

    // What Task.WhenAll over the runs would throw: the first failure in task order, before any cancellation.
    [Fact]
    public async Task RunAllAsync_OneRunCancelledAndALaterOneFailed_ThrowsTheFailure()
    {
        TaskStarts? starts = null;
        starts = new TaskStarts(s_diamond, t =>
        {
            try
            {
                return s_diamond.Tasks[t].Name switch
                {
                    "b" => Task.FromCanceled(new CancellationToken(canceled: true)),
                    "c" => Task.FromException(new InvalidOperationException("c broke")),
                    _ => Task.CompletedTask,
                };
            }
            finally
            {
                starts!.Ended(t);
            }
        });

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => starts.RunAllAsync().WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal("c broke", thrown.Message);
    }
}
