using System.Text.Json.Nodes;
using DurablePipelines.Payloads;

namespace DurablePipelines.Tests.Payloads;

public sealed class InMemoryPayloadStoreTests
{
    [Fact]
    public async Task LoadAsync_EveryLoad_ItsOwnCopyOfTheValueStored()
    {
        var store = new InMemoryPayloadStore();
        var reference = await store.StoreAsync("run-1", "out", new JsonArray(1, 2), default);

        var first = await store.LoadAsync(reference, default);
        first!.AsArray().Add(3);

        Assert.Equal("[1,2]", (await store.LoadAsync(reference, default))!.ToJsonString());
        Assert.True(store.IsImmutable(reference));
    }

    /// <summary>A name stored again replaces the value under a new reference; the old reference fails instead of loading the new value.</summary>
    [Fact]
    public async Task StoreAsync_SameNameTwice_NewReferenceLoadsTheNewValueAndTheOldNoLongerLoads()
    {
        var store = new InMemoryPayloadStore();
        var first = await store.StoreAsync("run-1", "out", JsonValue.Create(1), default);
        var second = await store.StoreAsync("run-1", "out", JsonValue.Create(2), default);

        Assert.NotEqual(first, second);
        Assert.Equal(1, store.Count);
        Assert.Equal(2, (await store.LoadAsync(second, default))!.GetValue<int>());
        var e = await Assert.ThrowsAsync<KeyNotFoundException>(() => store.LoadAsync(first, default));
        Assert.Equal($"no payload '{first}': its name was stored again since, with another value", e.Message);
    }

    [Theory]
    [InlineData("memory:run-1/out")]
    [InlineData("memory:run-1/out#")]
    [InlineData("memory:run-1/out#x")]
    [InlineData("blob:payloads/run-1/out.json#1")]
    public async Task LoadAsync_NotAReferenceOfThisStore_ThrowsAndIsNotImmutable(string reference)
    {
        var store = new InMemoryPayloadStore();
        await store.StoreAsync("run-1", "out", JsonValue.Create(1), default);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.LoadAsync(reference, default));
        Assert.False(store.IsImmutable(reference));
    }
}
