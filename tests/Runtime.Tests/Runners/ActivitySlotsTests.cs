using DurablePipelines.Runners;

namespace DurablePipelines.Tests.Runners;

public class ActivitySlotsTests
{
    [Fact]
    public async Task Release_FirstWaiterHeldBack_HandsTheSlotToTheNextInCallOrder()
    {
        var loop = new OrchestrationLoop(e => Assert.Fail(e.ToString()));
        var slots = new ActivitySlots(1, loop);
        var log = new List<string>();
        var running = new Waiter("running", true, log);
        var heldBack = new Waiter("held-back", false, log);
        var next = new Waiter("next", true, log);
        var last = new Waiter("last", true, log);

        Assert.True(slots.TakeOrWait(running));
        Assert.False(slots.TakeOrWait(heldBack));
        Assert.False(slots.TakeOrWait(next));
        Assert.False(slots.TakeOrWait(last));
        slots.Release();
        await next.Ran.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["held-back starting", "held-back held back", "next starting", "next run"], log);
        Assert.True(next.AskedOnLoop);
        Assert.False(last.Ran.IsCompleted);
    }

    [Fact]
    public void Release_NoCallWaiting_FreesTheSlot()
    {
        var slots = new ActivitySlots(1, new SynchronizationContext());
        var log = new List<string>();

        Assert.True(slots.TakeOrWait(new Waiter("a", true, log)));
        slots.Release();

        Assert.True(slots.TakeOrWait(new Waiter("b", true, log)));
        Assert.Empty(log);
    }

    private sealed class Waiter(string name, bool starts, List<string> log) : ActivitySlots.IWaiter
    {
        private readonly TaskCompletionSource _ran = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Ran => _ran.Task;

        public bool AskedOnLoop { get; private set; }

        public bool Starting()
        {
            AskedOnLoop = SynchronizationContext.Current is OrchestrationLoop;
            log.Add($"{name} starting");
            return starts;
        }

        public void Run()
        {
            log.Add($"{name} run");
            _ran.TrySetResult();
        }

        public void HoldBack() => log.Add($"{name} held back");
    }
}
