using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DurablePipelines.Iterators;

namespace DurablePipelines.Definitions;

/// <summary>
/// The <c>runIdFrom</c> template: text with <c>{input.…}</c> placeholders, so the same input gives the same
/// run id and a repeated start is idempotent. Also the rule every run id follows.
/// </summary>
public static partial class RunIdTemplate
{
    /// <summary>What a run id may look like, for error messages.</summary>
    public const string RunIdRule = "letters, digits, '-', '_' and '.', starting with a letter or digit, at most 100";

    /// <summary>True when <paramref name="runId"/> follows <see cref="RunIdRule"/>.</summary>
    public static bool IsValidRunId(string? runId) => runId is not null && RunIdPattern().IsMatch(runId);

    /// <summary>Every problem with a template.</summary>
    public static IEnumerable<string> Check(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var (parts, error) = Split(template);
        if (error is not null)
        {
            yield return error;
            yield break;
        }

        foreach (var placeholder in parts.Where(p => p.IsPath).Select(p => p.Text))
        {
            if (!IteratorPath.TryParse(placeholder, out var path, out var problem))
            {
                yield return $"bad placeholder {{{placeholder}}}: {problem}";
            }
            else if (path!.Root != IteratorRoot.Input)
            {
                yield return $"placeholder {{{placeholder}}} must read the run input ('input…')";
            }
        }
    }

    /// <summary>Renders the template over a run input; on failure <paramref name="error"/> says why.</summary>
    public static string? Render(string template, JsonNode? input, out string? error)
    {
        ArgumentNullException.ThrowIfNull(template);
        var (parts, splitError) = Split(template);
        error = splitError;
        if (error is not null)
        {
            return null;
        }

        var sb = new StringBuilder();
        var data = new JsonObject { ["input"] = input?.DeepClone() };
        foreach (var part in parts)
        {
            if (!part.IsPath)
            {
                sb.Append(part.Text);
                continue;
            }

            var node = IteratorPath.TryParse(part.Text, out var path, out _) && path!.Root == IteratorRoot.Input ? path.Find(data) : null;
            if (node is not JsonValue value || value.GetValueKind() is JsonValueKind.Object or JsonValueKind.Array)
            {
                error = $"runIdFrom '{template}': {{{part.Text}}} is missing from the input or not a plain value";
                return null;
            }

            sb.Append(value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString());
        }

        var id = sb.ToString();
        if (!IsValidRunId(id))
        {
            error = $"runIdFrom '{template}' gave '{id}', which is not a valid run id ({RunIdRule})";
            return null;
        }

        return id;
    }

    private static (List<(bool IsPath, string Text)> Parts, string? Error) Split(string template)
    {
        var parts = new List<(bool, string)>();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = template.IndexOf('}', i);
            if (close >= 0 && (open < 0 || close < open))
            {
                return (parts, $"unmatched '}}' at position {close + 1}");
            }

            if (open < 0)
            {
                parts.Add((false, template[i..]));
                break;
            }

            if (open > i)
            {
                parts.Add((false, template[i..open]));
            }

            if (close < 0)
            {
                return (parts, $"unmatched '{{' at position {open + 1}");
            }

            parts.Add((true, template[(open + 1)..close]));
            i = close + 1;
        }

        return (parts, null);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex RunIdPattern();
}
