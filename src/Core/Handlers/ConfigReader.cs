using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurablePipelines.Handlers;

/// <summary>
/// A small schema for handler config: declare each member's kind and whether it is required, and get every
/// problem at once, unknown members included. Built-in handlers use it; custom ones may.
/// </summary>
public sealed class ConfigReader
{
    private readonly Dictionary<string, (JsonValueKind[] Kinds, bool Required, string Describe)> _members = new(StringComparer.Ordinal);

    /// <summary>Declares an optional or required member of one or more JSON kinds.</summary>
    public ConfigReader Member(string name, string describe, bool required, params JsonValueKind[] kinds)
    {
        _members[name] = (kinds, required, describe);
        return this;
    }

    /// <summary>Every problem with <paramref name="config"/>.</summary>
    public IEnumerable<ConfigError> Validate(JsonObject? config)
    {
        foreach (var (name, member) in _members.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (member.Required && config?[name] is null)
            {
                yield return new ConfigError($".{name}", $"'{name}' is required ({member.Describe})");
            }
        }

        if (config is null)
        {
            yield break;
        }

        foreach (var (key, value) in config)
        {
            if (!_members.TryGetValue(key, out var member))
            {
                yield return new ConfigError($".{key}", $"unknown member '{key}'{Validation.NameSuggestions.DidYouMean(key, _members.Keys)}");
                continue;
            }

            var kind = value?.GetValueKind() ?? JsonValueKind.Null;
            if (value is not null && !member.Kinds.Contains(kind))
            {
                yield return new ConfigError($".{key}", $"'{key}' must be {member.Describe}");
            }
        }
    }

    /// <summary>A non-negative whole number, or the default.</summary>
    public static int Int(JsonObject? config, string name, int fallback) =>
        config?[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : fallback;

    /// <summary>True when <paramref name="config"/> holds a whole number ≥ 0 at <paramref name="name"/> or nothing.</summary>
    public static IEnumerable<ConfigError> NonNegativeInt(JsonObject? config, string name)
    {
        if (config?[name] is { } node && !(node is JsonValue v && v.TryGetValue<int>(out var i) && i >= 0))
        {
            yield return new ConfigError($".{name}", $"'{name}' must be a whole number of at least 0");
        }
    }
}
