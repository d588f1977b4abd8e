using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace DurablePipelines.Payloads;

/// <summary>
/// A large value stored outside the orchestration's history, written in its place as
/// <c>{ "$dpRef": "&lt;reference&gt;" }</c>. Activities load it back before a handler sees it.
/// </summary>
public static class PayloadReference
{
    /// <summary>The member that marks a reference.</summary>
    public const string Member = "$dpRef";

    /// <summary>The JSON written in place of a stored value.</summary>
    public static JsonObject Create(string reference) => new() { [Member] = reference };

    /// <summary>True when <paramref name="node"/> is a reference; gives the reference.</summary>
    public static bool TryGet(JsonNode? node, [NotNullWhen(true)] out string? reference)
    {
        reference = null;
        if (node is JsonObject obj && obj.Count == 1 && obj[Member] is JsonValue v && v.TryGetValue<string>(out var s))
        {
            reference = s;
            return true;
        }

        return false;
    }
}
