using DurablePipelines.Runners;

namespace DurablePipelines.Tests.Runners;

public class StopEventsTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    // A chunk's stop check reads what its waiter set: the waiter must run in the step that sends the stop, before a
    // result of the chunk that ends in a later step is seen.
    [Fact]
    public async Task Send_InstanceWaiting_ContinuesItsWaiterInTheSendersStep()
    {
        var loop = new OrchestrationLoop(e => Assert.Fail(e.ToString()));
        var stops = new StopEvents();

        var seen = await loop.Run(async () =>
        {
            string? reason = null;
            _ = WatchAsync();
            stops.Send("run-1:p0:each:c1", "not started: another result of this task failed");
            var inStep = reason;
            await Task.Yield();
            return inStep;

            async Task WatchAsync() => reason = await stops.WaitAsync("run-1:p0:each:c1", CancellationToken.None);
        }).WaitAsync(s_timeout);

        Assert.Equal("not started: another result of this task failed", seen);
    }

    [Fact]
    public async Task Send_ReachesOnlyItsInstance_KeptUntilItWaits_FirstReasonCounts()
    {
        var stops = new StopEvents();

        stops.Send("c0", "first");
        stops.Send("c0", "second");
        var c0 = stops.WaitAsync("c0", CancellationToken.None);
        using var stopWaiting = new CancellationTokenSource();
        var c1 = stops.WaitAsync("c1", stopWaiting.Token);

        Assert.Equal("first", await c0.WaitAsync(s_timeout));
        Assert.False(c1.IsCompleted);
        await stopWaiting.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => c1);
    }
}
