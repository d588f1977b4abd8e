using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Handlers;

namespace DurablePipelines.Examples.Handlers;

/// <summary>
/// <c>report.summarize</c>: the fan-in. Takes every parent's output (an iterated parent's array of outputs
/// is flattened) and returns <c>{ count, parents: { name: count }, totals: { member: sum } }</c>, where
/// totals sums every number member all items share. When the items are file checksums (<c>path</c> and
/// <c>bytes</c>) it adds <c>totalBytes</c> and <c>files</c>, sorted by path.
/// </summary>
internal sealed class ReportSummarizeTask : IPipelineTask
{
    public const string Name = "report.summarize";

    private static readonly ConfigReader s_schema = new();

    public IEnumerable<ConfigError> ValidateConfig(JsonObject? config) => s_schema.Validate(config);

    public Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var items = new List<JsonNode>();
        var perParent = new JsonObject();
        foreach (var (parent, output) in context.Parents.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var own = output switch
            {
                JsonArray array => array.Where(n => n is not null).Select(n => n!).ToList(),
                null => [],
                _ => [output],
            };
            perParent[parent] = own.Count;
            items.AddRange(own);
        }

        var summary = new JsonObject
        {
            ["count"] = items.Count,
            ["parents"] = perParent,
            ["totals"] = Totals(items),
        };

        if (items.Count > 0 && items.All(IsFileChecksum))
        {
            summary["totalBytes"] = items.Sum(i => JsonNumber.TryGetDecimal(i["bytes"], out var b) ? (long)b : 0);
            summary["files"] = new JsonArray([.. items.OrderBy(i => i["path"]!.GetValue<string>(), StringComparer.Ordinal).Select(i => i.DeepClone())]);
        }

        return Task.FromResult<JsonNode?>(summary);
    }

    private static JsonObject Totals(List<JsonNode> items)
    {
        var totals = new JsonObject();
        if (items.Count == 0 || !items.All(i => i is JsonObject))
        {
            return totals;
        }

        var first = (JsonObject)items[0];
        foreach (var (member, _) in first.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var numbers = new List<decimal>(items.Count);
            foreach (var item in items)
            {
                if (!JsonNumber.TryGetDecimal(item[member], out var number))
                {
                    break;
                }

                numbers.Add(number);
            }

            if (numbers.Count == items.Count)
            {
                totals[member] = numbers.Sum();
            }
        }

        return totals;
    }

    private static bool IsFileChecksum(JsonNode item) =>
        item is JsonObject obj
        && obj["path"] is JsonValue path && path.GetValueKind() == JsonValueKind.String
        && JsonNumber.TryGetDecimal(obj["bytes"], out _);
}
