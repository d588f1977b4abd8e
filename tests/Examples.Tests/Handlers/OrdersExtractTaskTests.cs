using System.Text.Json.Nodes;
using DurablePipelines.Examples.Handlers;

namespace DurablePipelines.Examples.Tests.Handlers;

public class OrdersExtractTaskTests
{
    [Fact]
    public async Task ExecuteAsync_RegionAndDate_DeterministicOrders()
    {
        var context = HandlerContext.Create(new JsonObject { ["count"] = 4 }, input: new JsonObject { ["date"] = "2025-01-31" }, item: "eu");

        var first = await new OrdersExtractTask().ExecuteAsync(context, CancellationToken.None);
        var second = await new OrdersExtractTask().ExecuteAsync(context, CancellationToken.None);

        Assert.True(JsonNode.DeepEquals(first, second));
        Assert.Equal("eu", first!["region"]!.GetValue<string>());
        var orders = first["orders"]!.AsArray();
        Assert.Equal(["eu-2025-01-31-001", "eu-2025-01-31-002", "eu-2025-01-31-003", "eu-2025-01-31-004"], orders.Select(o => o!["id"]!.GetValue<string>()));
        Assert.All(orders, o => Assert.InRange(o!["amount"]!.GetValue<decimal>(), 1m, 1001m));
        Assert.Equal(OrdersExtractTask.Amount("eu-2025-01-31-001"), orders[0]!["amount"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task ExecuteAsync_ObjectItemWithoutDate_UsesNameAndUndated()
    {
        var output = await new OrdersExtractTask().ExecuteAsync(HandlerContext.Create(item: new JsonObject { ["name"] = "us" }), CancellationToken.None);

        Assert.Equal(3, output!["orders"]!.AsArray().Count);
        Assert.Equal("us-undated-001", output["orders"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteAsync_NoItem_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => new OrdersExtractTask().ExecuteAsync(HandlerContext.Create(), CancellationToken.None));
    }

    [Fact]
    public void ValidateConfig_NegativeCount_Refused()
    {
        var error = Assert.Single(new OrdersExtractTask().ValidateConfig(new JsonObject { ["count"] = -1 }));

        Assert.Equal("'count' must be a whole number of at least 0", error.Message);
    }
}
