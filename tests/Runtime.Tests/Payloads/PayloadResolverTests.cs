using System.Text.Json.Nodes;
using DurablePipelines.Payloads;

namespace DurablePipelines.Tests.Payloads;

public sealed class PayloadResolverTests
{
    [Fact]
    public async Task ResolveAsync_NoReference_GivesAnEqualCopyNotTheSameNodes()
    {
        var store = new InMemoryPayloadStore();
        var node = new JsonObject { ["input"] = new JsonObject { ["a"] = new JsonArray(1, 2) }, ["item"] = null, ["parents"] = new JsonObject() };

        var resolved = await PayloadResolver.ResolveAsync(node, store, default);

        Assert.True(JsonNode.DeepEquals(node, resolved));
        Assert.NotSame(node["input"], resolved!["input"]);
        resolved["input"]!["a"]!.AsArray().Add(3);
        Assert.Equal(2, node["input"]!["a"]!.AsArray().Count);
    }

    [Fact]
    public async Task ResolveAsync_NestedReference_IsLoadedWhereItStood()
    {
        var store = new InMemoryPayloadStore();
        var reference = await store.StoreAsync("run-1", "0/a/output", new JsonArray("x", "y"), default);
        var node = new JsonObject { ["parents"] = new JsonObject { ["a"] = PayloadReference.Create(reference), ["b"] = 5 } };

        var resolved = await PayloadResolver.ResolveAsync(node, store, default);

        Assert.Equal("""{"parents":{"a":["x","y"],"b":5}}""", resolved!.ToJsonString());
    }
}
