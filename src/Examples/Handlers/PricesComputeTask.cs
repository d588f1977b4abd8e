using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Handlers;

namespace DurablePipelines.Examples.Handlers;

/// <summary>
/// <c>prices.compute</c>: re-prices one order (the task item, as <c>orders.extract</c> makes them) with a
/// deterministic markup. Config <c>markup</c> (a fraction, default 0.1) and <c>currency</c> (default EUR).
/// Returns <c>{ id, region, amount, price, currency }</c>.
/// </summary>
internal sealed class PricesComputeTask : IPipelineTask
{
    public const string Name = "prices.compute";

    private static readonly ConfigReader s_schema = new ConfigReader()
        .Member("markup", "a number of at least 0, such as 0.1 for 10%", false, JsonValueKind.Number)
        .Member("currency", "a currency code such as EUR", false, JsonValueKind.String);

    public IEnumerable<ConfigError> ValidateConfig(JsonObject? config)
    {
        foreach (var error in s_schema.Validate(config))
        {
            yield return error;
        }

        if (JsonNumber.TryGetDecimal(config?["markup"], out var markup) && markup < 0)
        {
            yield return new ConfigError(".markup", "'markup' must be a number of at least 0");
        }
    }

    public Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TaskItem is not JsonObject order || !JsonNumber.TryGetDecimal(order["amount"], out var amount))
        {
            throw new ArgumentException($"{Name} needs a task item that is an order with a number 'amount' (give the task an iterator over orders)");
        }

        var markup = JsonNumber.TryGetDecimal(context.Config?["markup"], out var value) ? value : 0.1m;
        var currency = context.Config?["currency"]?.GetValue<string>() ?? "EUR";
        return Task.FromResult<JsonNode?>(new JsonObject
        {
            ["id"] = order["id"]?.DeepClone(),
            ["region"] = order["region"]?.DeepClone(),
            ["amount"] = amount,
            ["price"] = Math.Round(amount * (1 + markup), 2, MidpointRounding.AwayFromZero),
            ["currency"] = currency,
        });
    }
}
