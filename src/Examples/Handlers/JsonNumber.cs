using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurablePipelines.Examples.Handlers;

/// <summary>
/// Reads a JSON number whatever backs the node: parsed text, or a value a handler created as int, long,
/// double or decimal (<c>TryGetValue&lt;decimal&gt;</c> alone misses the latter).
/// </summary>
internal static class JsonNumber
{
    /// <summary>True, with the value, when <paramref name="node"/> is a JSON number that fits a decimal.</summary>
    public static bool TryGetDecimal(JsonNode? node, out decimal value)
    {
        value = 0;
        return node is JsonValue v
            && v.GetValueKind() == JsonValueKind.Number
            && decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
