using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Handlers;

namespace DurablePipelines.Examples.Handlers;

/// <summary>
/// <c>orders.extract</c>: fake, deterministic open orders of a region, for demos. The region is the pipeline
/// item (a string, or an object's <c>name</c>); the date is <c>input.date</c>. Config <c>count</c> (default 3)
/// is how many orders. Returns <c>{ region, date, orders: [ { id, region, amount } ] }</c>; the same region and
/// date always give the same orders.
/// </summary>
internal sealed class OrdersExtractTask : IPipelineTask
{
    public const string Name = "orders.extract";

    private static readonly ConfigReader s_schema = new ConfigReader()
        .Member("count", "a whole number of orders of at least 0", false, JsonValueKind.Number);

    public IEnumerable<ConfigError> ValidateConfig(JsonObject? config) =>
        s_schema.Validate(config).Concat(ConfigReader.NonNegativeInt(config, "count"));

    public Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var region = context.Item switch
        {
            JsonValue v when v.TryGetValue<string>(out var name) => name,
            JsonObject o when o["name"] is JsonValue n && n.TryGetValue<string>(out var name) => name,
            _ => throw new ArgumentException($"{Name} needs a pipeline item that is a region name (give the pipeline an iterator such as input.regions)"),
        };
        var date = context.Input?["date"] is JsonValue d && d.TryGetValue<string>(out var text) ? text : "undated";
        var count = ConfigReader.Int(context.Config, "count", 3);
        var orders = new JsonArray();
        for (var n = 1; n <= count; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = string.Create(CultureInfo.InvariantCulture, $"{region}-{date}-{n:000}");
            orders.Add(new JsonObject { ["id"] = id, ["region"] = region, ["amount"] = Amount(id) });
        }

        return Task.FromResult<JsonNode?>(new JsonObject { ["region"] = region, ["date"] = date, ["orders"] = orders });
    }

    /// <summary>An amount between 1.00 and 1000.99 derived from the id (FNV-1a), so runs repeat exactly.</summary>
    internal static decimal Amount(string id)
    {
        var hash = 2166136261u;
        foreach (var c in id)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return 1m + (hash % 100000u / 100m);
    }
}
