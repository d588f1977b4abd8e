using DurablePipelines.Runners;

namespace DurablePipelines.Tests.Runners;

public class RunCancellationTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    // Orchestration code must learn of a cancel before it sees a handler's attempt the cancel stopped: the waiters
    // complete before the handlers' token fires.
    [Fact]
    public async Task Cancel_CallerCancels_WaitersCompleteBeforeTheHandlersTokenFires()
    {
        var loop = new OrchestrationLoop(e => Assert.Fail(e.ToString()));
        using var caller = new CancellationTokenSource();
        using var cancellation = new RunCancellation(loop, caller.Token);
        var waiting = cancellation.WaitAsync(CancellationToken.None);
        var handlerTokenWhenSeen = waiting.ContinueWith(_ => cancellation.HandlerToken.IsCancellationRequested, TaskContinuationOptions.ExecuteSynchronously);

        await caller.CancelAsync();

        Assert.False(await handlerTokenWhenSeen.WaitAsync(s_timeout));
        Assert.Equal("cancelled", await waiting);
        await Eventually(() => cancellation.HandlerToken.IsCancellationRequested);
    }

    [Fact]
    public async Task WaitAsync_AfterTheCancel_CompletesAtOnce()
    {
        var loop = new OrchestrationLoop(e => Assert.Fail(e.ToString()));
        using var cancellation = new RunCancellation(loop, CancellationToken.None);
        var first = cancellation.WaitAsync(CancellationToken.None);

        cancellation.Cancel();
        await first.WaitAsync(s_timeout);

        Assert.True(cancellation.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var until = DateTime.UtcNow + s_timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "the condition never held");
            await Task.Yield();
        }
    }
}
