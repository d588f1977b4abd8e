using System.Collections.Concurrent;
using DurablePipelines.Definitions;
using DurablePipelines.Graph;
using DurablePipelines.Orchestration;

namespace DurablePipelines.Tests.Orchestration;

public class TaskStartsTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(10);

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
        var gates = Signals(4);
        var started = Signals(4);
        var ended = Signals(4);
        TaskStarts? starts = null;
        starts = new TaskStarts(s_diamond, async t =>
        {
            log.Enqueue($"start {s_diamond.Tasks[t].Name}");
            started[t].TrySetResult();
            try
            {
                await gates[t].Task;
            }
            finally
            {
                log.Enqueue($"end {s_diamond.Tasks[t].Name}");
                starts!.Ended(t);
                ended[t].TrySetResult();
            }
        });

        var all = starts.RunAllAsync();
        gates[0].SetResult();
        await started[2].Task.WaitAsync(s_limit);
        gates[2].SetResult();
        await ended[2].Task.WaitAsync(s_limit);
        Assert.DoesNotContain("start d", log);
        gates[1].SetResult();
        await started[3].Task.WaitAsync(s_limit);
        gates[3].SetResult();
        await all.WaitAsync(s_limit);

        Assert.Equal(["start a", "end a", "start b", "start c", "end c", "end b", "start d", "end d"], log);
    }

    // What Task.WhenAll over the runs would throw: the first failure in task order, before any cancellation.
    [Fact]
    public async Task RunAllAsync_OneRunCancelledAndALaterOneFailed_ThrowsTheFailure()
    {
        TaskStarts? starts = null;
        starts = new TaskStarts(s_diamond, t =>
        {
            starts!.Ended(t, s_diamond.Tasks[t].Name switch
            {
                "b" => new OperationCanceledException("b cancelled"),
                "c" => new InvalidOperationException("c broke"),
                _ => null,
            });
            return Task.CompletedTask;
        });

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => starts.RunAllAsync().WaitAsync(s_limit));

        Assert.Equal("c broke", thrown.Message);
    }

    // A runner that runs one activity at a time gains nothing from more ready tasks holding their state while they
    // wait: at most the limit are started and not begun; the next starts when one begins or ends.
    [Fact]
    public async Task RunAllAsync_LimitOfOneNotBegun_StartsTheNextReadyTaskOnlyWhenOneBeginsOrEnds()
    {
        var roots = TaskGraph.Create(new PipelineBuilder("roots")
            .Task("a", "echo", t => t.After())
            .Task("b", "echo", t => t.After())
            .Task("c", "echo", t => t.After())
            .Build());
        var log = new List<string>();
        var gates = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource()).ToArray();
        TaskStarts? starts = null;
        starts = new TaskStarts(
            roots,
            async t =>
            {
                log.Add($"start {roots.Tasks[t].Name}");
                try
                {
                    await gates[t].Task;
                }
                finally
                {
                    starts!.Ended(t);
                }
            },
            maxNotBegun: 1);

        var all = starts.RunAllAsync();
        Assert.Equal(["start a"], log);
        starts.Begun(0);
        Assert.Equal(["start a", "start b"], log);
        gates[1].SetResult();
        Assert.Equal(["start a", "start b", "start c"], log);
        gates[0].SetResult();
        gates[2].SetResult();
        await all.WaitAsync(s_limit);
    }

    private static TaskCompletionSource[] Signals(int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
}
