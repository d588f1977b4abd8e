using DurablePipelines.LocalDurable;
using DurablePipelines.Orchestration;

namespace DurablePipelines.Tests.LocalDurable;

public sealed class CheckpointJournalTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private sealed record Input(string Key) : IActivityInput;

    [Fact]
    public async Task RunAsync_ResultsFinishingWhileACheckpointIsWritten_ShareTheNextWriteAndReturnOnlyOnceItIsStored()
    {
        var store = new GatedCheckpointStore();
        var journal = new CheckpointJournal("run-1", store, new Dictionary<string, string>(), CancellationToken.None);

        var first = journal.RunAsync("act", new Input("k1"), typeof(int), () => Task.FromResult<object?>(1));
        var writing = await store.WriteAsync(0);
        var second = journal.RunAsync("act", new Input("k2"), typeof(int), () => Task.FromResult<object?>(2));
        var third = journal.RunAsync("act", new Input("k3"), typeof(int), () => Task.FromResult<object?>(3));

        Assert.Equal([KeyValuePair.Create("k1", "1")], writing.Checkpoints);
        Assert.False(first.IsCompleted, "a result was handed back before its checkpoint was stored");
        writing.Done.SetResult();
        Assert.Equal(1, await first.WaitAsync(Limit));

        var group = await store.WriteAsync(1);
        Assert.True(group.Grouped);
        Assert.Equal([KeyValuePair.Create("k2", "2"), KeyValuePair.Create("k3", "3")], group.Checkpoints);
        Assert.False(second.IsCompleted || third.IsCompleted, "a result was handed back before its checkpoint was stored");
        group.Done.SetResult();
        Assert.Equal([2, 3], await Task.WhenAll(second, third).WaitAsync(Limit));
        Assert.Equal(2, store.Writes.Count);
        Assert.Equal(3, journal.Executed);
    }

    [Fact]
    public async Task RunAsync_TheWriteHoldingItsCheckpointFails_Throws()
    {
        var store = new GatedCheckpointStore();
        var journal = new CheckpointJournal("run-1", store, new Dictionary<string, string>(), CancellationToken.None);

        var run = journal.RunAsync("act", new Input("k1"), typeof(int), () => Task.FromResult<object?>(1));
        (await store.WriteAsync(0)).Done.SetException(new IOException("storage said no"));

        await Assert.ThrowsAsync<IOException>(() => run.WaitAsync(Limit));
        Assert.Equal(0, journal.Executed);
    }

    [Fact]
    public async Task RunAsync_RecordedKey_ReplaysWithoutRunningOrWriting()
    {
        var store = new GatedCheckpointStore();
        var journal = new CheckpointJournal("run-1", store, new Dictionary<string, string> { ["k1"] = "41" }, CancellationToken.None);

        var result = await journal.RunAsync("act", new Input("k1"), typeof(int), () => throw new InvalidOperationException("ran a recorded call"));

        Assert.Equal(41, result);
        Assert.Empty(store.Writes);
        Assert.Equal(1, journal.Replayed);
    }
}
