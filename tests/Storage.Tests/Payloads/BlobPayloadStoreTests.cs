using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.Storage.Payloads;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.Storage.Tests.Payloads;

[Collection(AzuriteFixture.Collection)]
public sealed class BlobPayloadStoreTests(AzuriteFixture azurite)
{
    private readonly BlobContainerClient _container = azurite.NewContainer("payloads");

    [Fact]
    public async Task StoreAsync_ThenLoadAsync_RoundTripsTheValue()
    {
        using var store = new BlobPayloadStore(_container);
        var value = new JsonObject { ["orders"] = new JsonArray(1, 2, 3), ["name"] = "prix-été", ["nested"] = new JsonObject { ["ok"] = true } };

        var reference = await store.StoreAsync("run-1", "price/0/output", value, default);
        var loaded = await store.LoadAsync(reference, default);

        Assert.StartsWith($"blob:{_container.Name}/run-1/price%2F0%2Foutput.json#", reference, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(value, loaded));
    }

    [Fact]
    public async Task StoreAsync_NullValue_LoadsNull()
    {
        using var store = new BlobPayloadStore(_container);

        var reference = await store.StoreAsync("run-1", "nothing", null, default);

        Assert.Null(await store.LoadAsync(reference, default));
    }

    [Fact]
    public async Task StoreAsync_SameNameTwice_OverwritesAndTheNewReferenceLoadsTheNewValue()
    {
        using var store = new BlobPayloadStore(_container);
        var first = await store.StoreAsync("run-1", "out", JsonValue.Create(1), default);
        Assert.Equal(1, (await store.LoadAsync(first, default))!.GetValue<int>());

        var second = await store.StoreAsync("run-1", "out", JsonValue.Create(2), default);

        Assert.NotEqual(first, second);
        Assert.Equal(2, (await store.LoadAsync(second, default))!.GetValue<int>());
        Assert.Equal(1, (await store.LoadAsync(first, default))!.GetValue<int>());
    }

    /// <summary>A versioned reference loads its own value or none, never a later value stored under its name: hosts may keep what it loaded.</summary>
    [Fact]
    public async Task LoadAsync_NameStoredAgainBeforeTheFirstLoad_OldReferenceNoLongerLoads()
    {
        using var store = new BlobPayloadStore(_container);
        var first = await store.StoreAsync("run-1", "replaced", JsonValue.Create(1), default);
        await store.StoreAsync("run-1", "replaced", JsonValue.Create(2), default);

        var e = await Assert.ThrowsAsync<KeyNotFoundException>(() => store.LoadAsync(first, default));

        Assert.Equal($"no payload '{first}': its name was stored again since, with another value", e.Message);
        Assert.True(store.IsImmutable(first));
        Assert.False(store.IsImmutable(first[..first.LastIndexOf('#')]));
        Assert.False(store.IsImmutable($"blob:other/run-1/replaced.json#{first[(first.LastIndexOf('#') + 1)..]}"));
    }

    [Fact]
    public async Task LoadAsync_SameReferenceManyTimes_OneDownloadAndEveryLoadItsOwnValue()
    {
        var downloads = new DownloadCounter();
        var options = new BlobClientOptions(StorageClients.BlobServiceVersion);
        options.AddPolicy(downloads, HttpPipelinePosition.PerCall);
        var counted = new BlobServiceClient(azurite.ConnectionString, options).GetBlobContainerClient(_container.Name);
        using var store = new BlobPayloadStore(counted);
        var reference = await store.StoreAsync("run-1", "input", new JsonObject { ["items"] = new JsonArray(1, 2, 3) }, default);

        var loads = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => store.LoadAsync(reference, default)));
        var again = await store.LoadAsync(reference, default);
        loads[0]!["items"]!.AsArray().Add(4);

        Assert.InRange(downloads.Count, 1, 5);
        var afterwards = downloads.Count;
        Assert.Equal([1, 2, 3], (await store.LoadAsync(reference, default))!["items"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal(afterwards, downloads.Count);
        Assert.Equal(3, again!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task LoadAsync_ReferenceWithoutVersion_LoadsFromStorageEachTime()
    {
        using var store = new BlobPayloadStore(_container);
        var versioned = await store.StoreAsync("run-1", "out", JsonValue.Create(1), default);
        var unversioned = versioned[..versioned.LastIndexOf('#')];
        Assert.Equal(1, (await store.LoadAsync(unversioned, default))!.GetValue<int>());

        await store.StoreAsync("run-1", "out", JsonValue.Create(2), default);

        Assert.Equal(2, (await store.LoadAsync(unversioned, default))!.GetValue<int>());
    }

    [Fact]
    public async Task LoadAsync_ReferenceOutsideItsContainer_Throws()
    {
        using var store = new BlobPayloadStore(_container);
        await store.StoreAsync("run-1", "out", JsonValue.Create(1), default);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.LoadAsync("blob:runs/run-1/record.json", default));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.LoadAsync("memory:run-1/out", default));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.LoadAsync($"blob:{_container.Name}/run-1/missing.json", default));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.LoadAsync($"blob:{_container.Name}/run-1/missing.json#0x1", default));
    }

    /// <summary>Counts blob downloads (GETs of a blob, not of a listing).</summary>
    private sealed class DownloadCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Method == RequestMethod.Get && !message.Request.Uri.Query.Contains("comp=", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }
}
