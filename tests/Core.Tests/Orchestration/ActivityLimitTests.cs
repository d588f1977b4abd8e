using DurablePipelines.Orchestration;

namespace DurablePipelines.Tests.Orchestration;

public sealed class ActivityLimitTests
{
    [Fact]
    public async Task TakeAsync_NoSlotFree_WaitsInCallOrderAndGetsTheSlotsReleased()
    {
        var limit = new ActivityLimit(2);

        Assert.Equal(2, await limit.TakeAsync(5));
        var first = limit.TakeAsync().AsTask();
        var second = limit.TakeAsync(3).AsTask();
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);

        limit.Release(2);

        Assert.Equal(1, await first.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, await second.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    // A caller that finds a slot free while an earlier one waits does not overtake it.
    [Fact]
    public async Task TakeAsync_SlotFreeButAnEarlierTakerWaits_WaitsBehindIt()
    {
        var limit = new ActivityLimit(1);
        Assert.Equal(1, await limit.TakeAsync());
        var waiting = limit.TakeAsync().AsTask();

        limit.Release();
        var later = limit.TakeAsync().AsTask();

        Assert.Equal(1, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(later.IsCompleted);
    }

    // The check a waiter makes when it gets its slot must see what the step that freed the slot did (a failure of
    // its task, a failFast stop): it resumes after that step, never inside it.
    [Fact]
    public void Release_WhileATakerWaits_ItResumesAfterTheReleasingStep()
    {
        var loop = new QueuedContext();
        var limit = new ActivityLimit(1);
        var log = new List<string>();

        loop.Step(() =>
        {
            _ = TakeAsync("holder");
            _ = TakeAsync("waiter");
        });
        loop.Step(() =>
        {
            limit.Release();
            log.Add("releasing step ended");
        });

        Assert.Equal(["holder took", "releasing step ended", "waiter took"], log);

        async Task TakeAsync(string taker)
        {
            await limit.TakeAsync();
            log.Add($"{taker} took");
        }
    }

    [Fact]
    public async Task TakeAsync_Unbounded_GivesWhatIsWantedAndNeverWaits()
    {
        var limit = new ActivityLimit(int.MaxValue);

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(limit.TakeAsync().AsTask().IsCompletedSuccessfully);
        }

        Assert.Equal(int.MaxValue, await limit.TakeAsync(int.MaxValue));
        Assert.True(limit.Unbounded);
    }

    /// <summary>An orchestration's loop: a step runs, then what it posted, in order, on the test's thread.</summary>
    private sealed class QueuedContext : SynchronizationContext
    {
        private readonly Queue<(SendOrPostCallback Callback, object? State)> _posted = new();

        public override void Post(SendOrPostCallback d, object? state) => _posted.Enqueue((d, state));

        public void Step(Action step)
        {
            var previous = Current;
            SetSynchronizationContext(this);
            try
            {
                step();
                while (_posted.TryDequeue(out var next))
                {
                    next.Callback(next.State);
                }
            }
            finally
            {
                SetSynchronizationContext(previous);
            }
        }
    }
}
