using Azure.Storage.Blobs;
using DurablePipelines.Storage.Checkpoints;
using DurablePipelines.TestSupport.Azurite;
using Microsoft.Extensions.Time.Testing;

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
        "~group-looks-grouped",
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
    public async Task LoadAllAsync_AllAwkwardKeysInSingleKeyBlobs_ReturnsEveryOne()
    {
        var store = new BlobCheckpointStore(_container);
        var checkpoints = Keys.Select((key, i) => KeyValuePair.Create(key, $"{{\"i\":{i}}}")).ToDictionary();

        await SaveEachAsync(store, "run-1", checkpoints);
        var loaded = await store.LoadAllAsync("run-1", default);

        Assert.Equal(checkpoints.OrderBy(p => p.Key, StringComparer.Ordinal), loaded.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public async Task LoadAllAsync_ThousandSingleKeyBlobs_ReturnsEveryOne()
    {
        var store = new BlobCheckpointStore(_container);
        var checkpoints = Enumerable.Range(0, 1000).ToDictionary(i => $"pr{i % 3}/task {i}:0/attempt:1", i => $"{{\"output\":{i}}}");

        await SaveEachAsync(store, "run-1", checkpoints);
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

    [Fact]
    public async Task SaveGroupAsync_AllAwkwardKeysInOneGroup_OneBlobAndLoadAllReturnsEveryOne()
    {
        var store = new BlobCheckpointStore(_container);
        var checkpoints = Keys.Select((key, i) => KeyValuePair.Create(key, $"{{\"i\":{i},\"s\":\"ü \\\" {key.Length}\"}}")).ToList();

        await store.SaveGroupAsync("run/1", checkpoints, default);
        var loaded = await store.LoadAllAsync("run/1", default);

        Assert.Equal(checkpoints.OrderBy(p => p.Key, StringComparer.Ordinal), loaded.OrderBy(p => p.Key, StringComparer.Ordinal));
        var blob = Assert.Single(await BlobNamesAsync("run%2F1/"));
        Assert.Matches(@"^run%2F1/~group-\d{8}T\d{13}Z-[0-9a-f]{32}\.json$", blob);
    }

    [Fact]
    public async Task LoadAllAsync_SingleKeyAndGroupBlobs_ReturnsTheKeysOfBoth()
    {
        var store = new BlobCheckpointStore(_container);
        await store.SaveAsync("run-1", "$input", """{"runId":"run-1"}""", default);
        await store.SaveGroupAsync("run-1", [KeyValuePair.Create("a", "1"), KeyValuePair.Create("b", "[2]")], default);
        await store.SaveGroupAsync("run-1", [KeyValuePair.Create("c", "null")], default);

        var loaded = await store.LoadAllAsync("run-1", default);

        Assert.Equal(
            [KeyValuePair.Create("$input", """{"runId":"run-1"}"""), KeyValuePair.Create("a", "1"), KeyValuePair.Create("b", "[2]"), KeyValuePair.Create("c", "null")],
            loaded.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(3, (await BlobNamesAsync("run-1/")).Count);
    }

    [Fact]
    public async Task LoadAllAsync_KeyInTwoGroups_TheGroupWithTheLaterTimeInItsNameWins()
    {
        var start = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var ahead = new BlobCheckpointStore(_container, time: new FakeTimeProvider(start + TimeSpan.FromTicks(1)));
        var store = new BlobCheckpointStore(_container, time: new FakeTimeProvider(start));

        // Uploaded first by a writer whose clock runs ahead: name order decides, not upload order.
        await ahead.SaveGroupAsync("run-1", [KeyValuePair.Create("k", "\"later\""), KeyValuePair.Create("a", "1")], default);
        await store.SaveGroupAsync("run-1", [KeyValuePair.Create("k", "\"earlier\""), KeyValuePair.Create("b", "2")], default);

        var loaded = await store.LoadAllAsync("run-1", default);

        Assert.Equal("\"later\"", loaded["k"]);
        Assert.Equal(["a", "b", "k"], loaded.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LoadAllAsync_KeyInASingleKeyBlobAndAGroup_TheGroupWinsWhicheverWasWrittenLast()
    {
        var store = new BlobCheckpointStore(_container);
        await store.SaveAsync("run-1", "before", "\"single\"", default);
        await store.SaveGroupAsync("run-1", [KeyValuePair.Create("before", "\"group\""), KeyValuePair.Create("after", "\"group\"")], default);
        await store.SaveAsync("run-1", "after", "\"single\"", default);

        var loaded = await store.LoadAllAsync("run-1", default);

        Assert.Equal("\"group\"", loaded["before"]);
        Assert.Equal("\"group\"", loaded["after"]);
    }

    [Fact]
    public async Task SaveGroupAsync_SameKeyTwiceInOneGroup_LastValueWins()
    {
        var store = new BlobCheckpointStore(_container);

        await store.SaveGroupAsync("run-1", [KeyValuePair.Create("k", "1"), KeyValuePair.Create("k", "2")], default);

        Assert.Equal("2", Assert.Single(await store.LoadAllAsync("run-1", default)).Value);
    }

    [Fact]
    public async Task SaveGroupAsync_CheckpointAsDeepAsTheSerializerAllows_LoadsBack()
    {
        var store = new BlobCheckpointStore(_container);

        // 64 arrays around a number: as deep as the serializer's default limit writes; 65 levels inside its group.
        var deep = System.Text.Json.JsonSerializer.Serialize(Enumerable.Range(0, 64).Aggregate((System.Text.Json.Nodes.JsonNode)1, (inner, _) => new System.Text.Json.Nodes.JsonArray(inner)));

        await store.SaveGroupAsync("run-1", [KeyValuePair.Create("deep", deep)], default);

        Assert.Equal(deep, (await store.LoadAllAsync("run-1", default))["deep"]);
    }

    [Fact]
    public async Task SaveGroupAsync_NoCheckpoints_WritesNothing()
    {
        var store = new BlobCheckpointStore(_container);

        await store.SaveGroupAsync("run-1", [], default);

        Assert.Empty(await BlobNamesAsync("run-1/"));
    }

    [Fact]
    public async Task DeleteRunAsync_SingleKeyAndGroupBlobs_RemovesEveryOneAndOnlyThatRun()
    {
        var store = new BlobCheckpointStore(_container);
        await store.SaveAsync("run1", "$input", "{}", default);
        await store.SaveGroupAsync("run1", [KeyValuePair.Create("a", "1"), KeyValuePair.Create("b", "2")], default);
        await store.SaveGroupAsync("run1", [KeyValuePair.Create("c", "3")], default);
        await store.SaveGroupAsync("run10", [KeyValuePair.Create("d", "4")], default);

        await store.DeleteRunAsync("run1", default);

        Assert.Empty(await BlobNamesAsync("run1/"));
        Assert.Empty(await store.LoadAllAsync("run1", default));
        Assert.Equal(["d"], (await store.LoadAllAsync("run10", default)).Keys);
    }

    /// <summary>One single-key blob per checkpoint, the layout of hosts from before group commit.</summary>
    private static Task SaveEachAsync(BlobCheckpointStore store, string runId, IEnumerable<KeyValuePair<string, string>> checkpoints) =>
        Parallel.ForEachAsync(checkpoints, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (checkpoint, ct) =>
            await store.SaveAsync(runId, checkpoint.Key, checkpoint.Value, ct));

    private async Task<List<string>> BlobNamesAsync(string prefix)
    {
        var names = new List<string>();
        if (await _container.ExistsAsync())
        {
            await foreach (var blob in _container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = prefix }))
            {
                names.Add(blob.Name);
            }
        }

        return names;
    }
}
