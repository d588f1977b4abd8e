using Azure.Storage.Blobs;
using DurablePipelines.Storage.Checkpoints;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.Storage.Tests.Checkpoints;

[Collection(AzuriteFixture.Collection)]
public sealed class BlobCheckpointStoreTests(AzuriteFixture azurite)
{
    private readonly BlobContainerClient _container = azurite.NewContainer("checkpoints");

    private static readonly string[] Keys =
    [
        "pr0/price:3/attempt:1",
        "a b/c%2F%25d",
        "?#&=+;,@!$'()*[]",
        "ends with a dot.",
        "..",
        ".",
        "trailing/",
        "/leading",
        "ü/日本/🙂",
        "~sha256-looks-hashed",
        "",
        new string('k', 2000) + "/long",
    ];

    public static TheoryData<string> AwkwardKeys() => new(Keys);

    [Theory]
    [MemberData(nameof(AwkwardKeys))]
    public async Task SaveAsync_AwkwardKey_LoadAllReturnsTheSameKey(string key)
    {
        var store = new BlobCheckpointStore(_container);

        await store.SaveAsync("run/1", key, """{"value":42}""", default);
        var loaded = await store.LoadAllAsync("run/1", default);

        var (loadedKey, json) = Assert.Single(loaded);
        Assert.Equal(key, loadedKey);
        Assert.Equal("""{"value":42}""", json);
    }

    [Fact]
    public async Task SaveManyAsync_AllAwkwardKeysTogether_LoadAllReturnsEveryOne()
    {
        var store = new BlobCheckpointStore(_container);
        var checkpoints = Keys.Select((key, i) => KeyValuePair.Create(key, $"{{\"i\":{i}}}")).ToDictionary();

        await store.SaveManyAsync("run-1", checkpoints, default);
        var loaded = await store.LoadAllAsync("run-1", default);

        Assert.Equal(checkpoints.OrderBy(p => p.Key, StringComparer.Ordinal), loaded.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task LoadAllAsync_ThousandCheckpoints_ReturnsEveryOne()
    {
        var store = new BlobCheckpointStore(_container);
        var checkpoints = Enumerable.Range(0, 1000).ToDictionary(i => $"pr{i % 3}/task {i}:0/attempt:1", i => $"{{\"output\":{i}}}");

        await store.SaveManyAsync("run-1", checkpoints, default);
        var loaded = await store.LoadAllAsync("run-1", default);

        Assert.Equal(1000, loaded.Count);
        Assert.All(checkpoints, p => Assert.Equal(p.Value, loaded[p.Key]));
    }

    [Fact]
    public async Task SaveAsync_SameKeyTwice_Overwrites()
    {
        var store = new BlobCheckpointStore(_container);

        await store.SaveAsync("run-1", "k", "1", default);
        await store.SaveAsync("run-1", "k", "2", default);

        Assert.Equal("2", (await store.LoadAllAsync("run-1", default))["k"]);
    }

    [Fact]
    public async Task LoadAllAndDeleteRun_RunIdsSharingAPrefix_TouchOnlyTheirOwnRun()
    {
        var store = new BlobCheckpointStore(_container);
        await store.SaveAsync("run1", "a", "1", default);
        await store.SaveAsync("run10", "b", "10", default);

        Assert.Equal(["a"], (await store.LoadAllAsync("run1", default)).Keys);

        await store.DeleteRunAsync("run1", default);

        Assert.Empty(await store.LoadAllAsync("run1", default));
        Assert.Equal(["b"], (await store.LoadAllAsync("run10", default)).Keys);
    }

    [Fact]
    public async Task LoadAllAsync_UnknownRun_ReturnsEmpty()
    {
        var store = new BlobCheckpointStore(_container);

        Assert.Empty(await store.LoadAllAsync("never-ran", default));
    }
}
