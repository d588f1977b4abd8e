using System.Collections.Concurrent;
using DurablePipelines.LocalDurable;

namespace DurablePipelines.Tests.LocalDurable;

public sealed class RunQueueTests
{
    /// <summary>Runs that record when they start and end only when released.</summary>
    private sealed class Gates
    {
        private readonly ConcurrentDictionary<int, TaskCompletionSource> _gates = new();

        public ConcurrentQueue<int> Started { get; } = new();

        public RunQueue.Ticket Ticket(int id) => new(async () =>
        {
            Started.Enqueue(id);
            await Gate(id).Task;
        });

        public void Release(int id) => Gate(id).TrySetResult();

        private TaskCompletionSource Gate(int id) => _gates.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    [Fact]
    public async Task Add_MoreRunsThanTheLimit_StartsTheRestInTheOrderTheyWereAdded()
    {
        var queue = new RunQueue(limit: 2);
        var gates = new Gates();
        var tickets = Enumerable.Range(0, 5).Select(gates.Ticket).ToList();

        queue.Add(tickets[0]);
        await Eventually.TrueAsync(() => gates.Started.Count == 1, "runs started");
        tickets.Skip(1).ToList().ForEach(queue.Add);
        await Eventually.TrueAsync(() => gates.Started.Count == 2, "runs started");
        Assert.Equal(3, queue.Waiting);

        for (var i = 0; i < 5; i++)
        {
            // Each end frees one slot, which the oldest waiting run takes.
            gates.Release(i);
            await tickets[i].Completion;
            await Eventually.TrueAsync(() => gates.Started.Count == Math.Min(5, i + 3), "runs started");
        }

        Assert.Equal([0, 1, 2, 3, 4], gates.Started);
        Assert.Equal(0, queue.Running);
        Assert.Equal(0, queue.Waiting);
    }

    [Fact]
    public async Task Add_NeverRunsMoreThanTheLimitAtOnce()
    {
        var queue = new RunQueue(limit: 3);
        var running = 0;
        var most = 0;
        var tickets = Enumerable.Range(0, 40).Select(_ => new RunQueue.Ticket(async () =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Delay(1);
            Interlocked.Decrement(ref running);
        })).ToList();

        tickets.ForEach(queue.Add);
        await Task.WhenAll(tickets.Select(t => t.Completion));

        Assert.Equal(3, most);
    }

    [Fact]
    public async Task StartNow_WaitingRun_StartsWithoutASlotAndLeavesTheLine()
    {
        var queue = new RunQueue(limit: 1);
        var gates = new Gates();
        var (first, second, third) = (gates.Ticket(0), gates.Ticket(1), gates.Ticket(2));
        queue.Add(first);
        await Eventually.TrueAsync(() => gates.Started.Count == 1, "runs started");
        queue.Add(second);
        queue.Add(third);

        queue.StartNow(third);
        await Eventually.TrueAsync(() => gates.Started.Count == 2, "runs started");

        Assert.Equal([0, 2], gates.Started);
        Assert.Equal(1, queue.Waiting);
        gates.Release(2);
        await third.Completion;
        Assert.Equal([0, 2], gates.Started); // the second still waits for the first's slot
        Assert.Equal(1, queue.Waiting);
        gates.Release(0);
        gates.Release(1);
        await second.Completion;
        Assert.Equal([0, 2, 1], gates.Started);
    }

    [Fact]
    public async Task StartNow_BeforeTheRunIsAdded_StartsItAsSoonAsItIsAdded()
    {
        // A cancel can reach the scheduler between a run's registration and its place in the line.
        var queue = new RunQueue(limit: 1);
        var gates = new Gates();
        var (first, cancelled) = (gates.Ticket(0), gates.Ticket(1));
        queue.Add(first);
        await Eventually.TrueAsync(() => gates.Started.Count == 1, "runs started");

        queue.StartNow(cancelled);
        queue.Add(cancelled);

        gates.Release(1);
        await cancelled.Completion;
        Assert.Equal([0, 1], gates.Started);
        gates.Release(0);
        await first.Completion;
    }

    [Fact]
    public async Task Close_DropsWaitingRunsAndRefusesNewOnes_RunningOnesFinish()
    {
        var queue = new RunQueue(limit: 1);
        var gates = new Gates();
        var (running, waiting, late) = (gates.Ticket(0), gates.Ticket(1), gates.Ticket(2));
        queue.Add(running);
        queue.Add(waiting);
        await Eventually.TrueAsync(() => gates.Started.Count == 1, "runs started");

        queue.Close();
        queue.Add(late);

        await waiting.Completion;
        await late.Completion;
        Assert.True(waiting.Dropped);
        Assert.True(late.Dropped);
        Assert.False(running.Completion.IsCompleted);
        gates.Release(0);
        await running.Completion;
        Assert.False(running.Dropped);
        Assert.Equal([0], gates.Started);
    }

    [Fact]
    public async Task Add_RunThatThrows_ReleasesItsSlotAndFaultsItsCompletion()
    {
        var queue = new RunQueue(limit: 1);
        var failing = new RunQueue.Ticket(() => throw new InvalidOperationException("boom"));
        var next = new RunQueue.Ticket(() => Task.CompletedTask);

        queue.Add(failing);
        queue.Add(next);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.Completion);
        Assert.Equal("boom", error.Message);
        await next.Completion;
        Assert.Equal(0, queue.Running);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
