using System.Text.Json.Nodes;
using DurablePipelines.Examples.Handlers;

namespace DurablePipelines.Examples.Tests.Handlers;

public class PricesComputeTaskTests
{
    [Fact]
    public async Task ExecuteAsync_Order_PriceWithMarkupRounded()
    {
        var order = new JsonObject { ["id"] = "eu-1", ["region"] = "eu", ["amount"] = 10.05 };

        var output = await new PricesComputeTask().ExecuteAsync(HandlerContext.Create(new JsonObject { ["markup"] = 0.25, ["currency"] = "USD" }, taskItem: order), CancellationToken.None);

        Assert.Equal("eu-1", output!["id"]!.GetValue<string>());
        Assert.Equal(12.56m, output["price"]!.GetValue<decimal>());
        Assert.Equal("USD", output["currency"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteAsync_DefaultMarkup_TenPercent()
    {
        var output = await new PricesComputeTask().ExecuteAsync(HandlerContext.Create(taskItem: new JsonObject { ["amount"] = 100 }), CancellationToken.None);

        Assert.Equal(110.0m, output!["price"]!.GetValue<decimal>());
        Assert.Equal("EUR", output["currency"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExecuteAsync_ItemWithoutAmount_Throws()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => new PricesComputeTask().ExecuteAsync(HandlerContext.Create(taskItem: new JsonObject { ["id"] = "x" }), CancellationToken.None));

        Assert.StartsWith("prices.compute needs a task item that is an order", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateConfig_NegativeMarkupAndWrongCurrencyType_BothReported()
    {
        var errors = new PricesComputeTask().ValidateConfig(new JsonObject { ["markup"] = -0.5, ["currency"] = 1 }).Select(e => e.Path).ToList();

        Assert.Equal([".currency", ".markup"], errors);
    }
}
