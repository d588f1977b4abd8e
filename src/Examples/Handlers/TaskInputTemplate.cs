using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Handlers;

namespace DurablePipelines.Examples.Handlers;

/// <summary>
/// Config text with <c>{…}</c> placeholders read from the task input, so a definition can take a value from
/// the run: <c>"folder": "{input.folder}"</c>. A placeholder is a dotted path starting at <c>input</c>,
/// <c>item</c>, <c>taskItem</c> or <c>parents</c>; array steps are indexes (<c>{input.regions.0}</c>).
/// </summary>
internal static class TaskInputTemplate
{
    private static readonly string[] s_roots = ["input", "item", "taskItem", "parents"];

    /// <summary>Every problem with the template in config member <paramref name="member"/>.</summary>
    public static IEnumerable<ConfigError> Check(string member, string template)
    {
        var (placeholders, error) = Split(template);
        if (error is not null)
        {
            yield return new ConfigError($".{member}", $"'{member}': {error}");
            yield break;
        }

        foreach (var placeholder in placeholders)
        {
            var root = placeholder.Split('.')[0];
            if (!s_roots.Contains(root, StringComparer.Ordinal))
            {
                yield return new ConfigError($".{member}", $"'{member}': placeholder {{{placeholder}}} must start with one of {string.Join(", ", s_roots)}");
            }
        }
    }

    /// <summary>The template with every placeholder replaced; throws when a value is missing or not plain.</summary>
    public static string Render(string template, TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(context);
        var (placeholders, error) = Split(template);
        if (error is not null)
        {
            throw new InvalidOperationException($"template '{template}': {error}");
        }

        var data = context.ToTaskInput();
        var text = template;
        foreach (var placeholder in placeholders.Distinct(StringComparer.Ordinal))
        {
            text = text.Replace($"{{{placeholder}}}", Read(data, placeholder, template), StringComparison.Ordinal);
        }

        return text;
    }

    private static string Read(JsonObject data, string path, string template)
    {
        JsonNode? node = data;
        foreach (var step in path.Split('.'))
        {
            node = node switch
            {
                JsonObject obj => obj[step],
                JsonArray array when int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
                _ => null,
            };
        }

        return node is JsonValue value && value.GetValueKind() is not (JsonValueKind.Object or JsonValueKind.Array)
            ? value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString()
            : throw new InvalidOperationException($"template '{template}': {{{path}}} is missing from the task input or not a plain value");
    }

    private static (List<string> Placeholders, string? Error) Split(string template)
    {
        var placeholders = new List<string>();
        var open = -1;
        for (var i = 0; i < template.Length; i++)
        {
            switch (template[i])
            {
                case '{' when open >= 0:
                    return (placeholders, $"nested '{{' at position {i + 1}");
                case '{':
                    open = i;
                    break;
                case '}' when open < 0:
                    return (placeholders, $"unmatched '}}' at position {i + 1}");
                case '}' when i == open + 1:
                    return (placeholders, $"empty placeholder at position {open + 1}");
                case '}':
                    placeholders.Add(template[(open + 1)..i]);
                    open = -1;
                    break;
            }
        }

        return open >= 0 ? (placeholders, $"unmatched '{{' at position {open + 1}") : (placeholders, null);
    }
}
