using DurablePipelines.LocalDurable;

namespace DurablePipelines.Tests.LocalDurable;

public sealed class CheckpointBatcherTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SaveAsync_NoWriteInFlight_WritesAtOnceAloneAndCompletesWhenStored()
    {
        var store = new GatedCheckpointStore();
        var batcher = new CheckpointBatcher("run-1", store);

        var saved = batcher.SaveAsync("a", "1");

        // Already at the store when SaveAsync returns: no timer, no hop.
        var write = Assert.Single(store.Writes);
        Assert.Equal(("run-1", true), (write.RunId, write.Grouped));
        Assert.Equal([KeyValuePair.Create("a", "1")], write.Checkpoints);
        Assert.False(saved.IsCompleted);

        write.Done.SetResult();
        await saved.WaitAsync(Limit);
    }

    [Fact]
    public async Task SaveAsync_WhileAWriteIsInFlight_WaitsForItThenGoesInOneNextWrite()
    {
        var store = new GatedCheckpointStore();
        var batcher = new CheckpointBatcher("run-1", store);
        var a = batcher.SaveAsync("a", "1");

        var b = batcher.SaveAsync("b", "2");
        var c = batcher.SaveAsync("c", "3");
        var d = batcher.SaveAsync("d", "4");

        Assert.Single(store.Writes);
        (await store.WriteAsync(0)).Done.SetResult();
        await a.WaitAsync(Limit);
        var next = await store.WriteAsync(1);
        Assert.Equal(["b", "c", "d"], next.Keys);
        Assert.Equal([KeyValuePair.Create("b", "2"), KeyValuePair.Create("c", "3"), KeyValuePair.Create("d", "4")], next.Checkpoints);
        Assert.False(b.IsCompleted || c.IsCompleted || d.IsCompleted, "a caller went on before the write holding its checkpoint returned");

        next.Done.SetResult();
        await Task.WhenAll(b, c, d).WaitAsync(Limit);
        Assert.Equal(2, store.Writes.Count);
    }

    [Fact]
    public async Task SaveAsync_AfterTheLastWriteReturned_WritesAtOnceAgain()
    {
        var store = new GatedCheckpointStore();
        var batcher = new CheckpointBatcher("run-1", store);
        var a = batcher.SaveAsync("a", "1");
        store.Writes[0].Done.SetResult();
        await a.WaitAsync(Limit);

        var b = batcher.SaveAsync("b", "2");

        Assert.Equal(["b"], Assert.Single(store.Writes.Skip(1)).Keys);
        store.Writes[1].Done.SetResult();
        await b.WaitAsync(Limit);
    }

    [Fact]
    public async Task SaveAsync_GroupWriteFails_FailsEveryCallerInItAndTheNextWriteGoesAhead()
    {
        var store = new GatedCheckpointStore();
        var batcher = new CheckpointBatcher("run-1", store);
        var a = batcher.SaveAsync("a", "1");
        var b = batcher.SaveAsync("b", "2");
        var c = batcher.SaveAsync("c", "3");
        store.Writes[0].Done.SetResult();
        await a.WaitAsync(Limit);
        var group = await store.WriteAsync(1);
        var d = batcher.SaveAsync("d", "4");

        var failure = new IOException("storage said no");
        group.Done.SetException(failure);

        Assert.Same(failure, await Assert.ThrowsAsync<IOException>(() => b.WaitAsync(Limit)));
        Assert.Same(failure, await Assert.ThrowsAsync<IOException>(() => c.WaitAsync(Limit)));
        var after = await store.WriteAsync(2);
        Assert.Equal(["d"], after.Keys);
        after.Done.SetResult();
        await d.WaitAsync(Limit);
    }

    [Fact]
    public async Task SaveAsync_LoneWriteFails_FailsItsCaller()
    {
        var store = new GatedCheckpointStore();
        var batcher = new CheckpointBatcher("run-1", store);
        var a = batcher.SaveAsync("a", "1");

        store.Writes[0].Done.SetException(new IOException("storage said no"));

        await Assert.ThrowsAsync<IOException>(() => a.WaitAsync(Limit));
    }

    [Fact]
    public async Task SaveAsync_MoreWaitingThanMaxCount_WritesThemInArrivalOrderAtMostMaxCountAtATime()
    {
        var store = new GatedCheckpointStore();
        var batcher = new CheckpointBatcher("run-1", store, maxCount: 2);
        var saved = new[] { "a", "b", "c", "d", "e", "f" }.Select(k => batcher.SaveAsync(k, "1")).ToList();

        var keys = new List<string[]>();
        for (var i = 0; i < 4; i++)
        {
            var write = await store.WriteAsync(i);
            keys.Add([.. write.Keys]);
            write.Done.SetResult();
        }

        await Task.WhenAll(saved).WaitAsync(Limit);
        Assert.Equal([["a"], ["b", "c"], ["d", "e"], ["f"]], keys);
        Assert.Equal(4, store.Writes.Count);
    }

    [Fact]
    public async Task SaveAsync_MoreWaitingThanMaxBytes_SplitsAtTheBoundAndWritesAnOversizedCheckpointAlone()
    {
        var store = new GatedCheckpointStore();

        // Each small checkpoint is 5 bytes of UTF-8 (key "k1", JSON "123"); "ü" is 2 bytes, so "kü" + "12" is 5 too.
        var batcher = new CheckpointBatcher("run-1", store, maxBytes: 10);
        var first = batcher.SaveAsync("k0", "123");
        var saved = new List<Task>
        {
            batcher.SaveAsync("k1", "123"),
            batcher.SaveAsync("kü", "12"),
            batcher.SaveAsync("k3", "123"),
            batcher.SaveAsync("big", "\"0123456789\""),
            batcher.SaveAsync("k5", "123"),
        };

        var keys = new List<string[]>();
        for (var i = 0; i < 5; i++)
        {
            var write = await store.WriteAsync(i);
            keys.Add([.. write.Keys]);
            write.Done.SetResult();
        }

        await Task.WhenAll(saved.Append(first)).WaitAsync(Limit);
        Assert.Equal([["k0"], ["k1", "kü"], ["k3"], ["big"], ["k5"]], keys);
    }
}
