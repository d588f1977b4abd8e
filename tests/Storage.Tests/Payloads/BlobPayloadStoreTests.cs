using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
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
        var store = new BlobPayloadStore(_container);
        var value = new JsonObject { ["orders"] = new JsonArray(1, 2, 3), ["name"] = "prix-été", ["nested"] = new JsonObject { ["ok"] = true } };

        var reference = await store.StoreAsync("run-1", "price/0/output", value, default);
        var loaded = await store.LoadAsync(reference, default);

        Assert.Equal($"blob:{_container.Name}/run-1/price%2F0%2Foutput.json", reference);
        Assert.True(JsonNode.DeepEquals(value, loaded));
    }

    [Fact]
    public async Task StoreAsync_NullValue_LoadsNull()
    {
        var store = new BlobPayloadStore(_container);

        var reference = await store.StoreAsync("run-1", "nothing", null, default);

        Assert.Null(await store.LoadAsync(reference, default));
    }

    [Fact]
    public async Task StoreAsync_SameNameTwice_Overwrites()
    {
        var store = new BlobPayloadStore(_container);
        var first = await store.StoreAsync("run-1", "out", JsonValue.Create(1), default);

        var second = await store.StoreAsync("run-1", "out", JsonValue.Create(2), default);

        Assert.Equal(first, second);
        Assert.Equal(2, (await store.LoadAsync(first, default))!.GetValue<int>());
    }

    [Fact]
    public async Task LoadAsync_ReferenceOutsideItsContainer_Throws()
    {
        var store = new BlobPayloadStore(_container);
        await store.StoreAsync("run-1", "out", JsonValue.Create(1), default);

        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.LoadAsync("blob:runs/run-1/record.json", default));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.LoadAsync("memory:run-1/out", default));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.LoadAsync($"blob:{_container.Name}/run-1/missing.json", default));
    }
}
