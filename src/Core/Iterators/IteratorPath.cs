using System.Globalization;
using System.Text.Json.Nodes;
using DurablePipelines.Payloads;

namespace DurablePipelines.Iterators;

/// <summary>
/// A path into a run's data: <c>input…</c>, <c>item…</c> or <c>parents.&lt;task&gt;.output…</c>, with
/// <c>.member</c> and <c>[index]</c> steps. Parsing and evaluation are pure, so orchestration code may use them.
/// </summary>
public sealed class IteratorPath
{
    private readonly IReadOnlyList<object> _steps;

    private IteratorPath(string text, IteratorRoot root, string? parent, IReadOnlyList<object> steps)
    {
        Text = text;
        Root = root;
        Parent = parent;
        _steps = steps;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>Where the path starts.</summary>
    public IteratorRoot Root { get; }

    /// <summary>The parent task named by a <c>parents.…</c> path.</summary>
    public string? Parent { get; }

    /// <summary>Parses a path; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string text, out IteratorPath? path, out string? error)
    {
        path = null;
        if (!TrySplit(text, out var steps, out error))
        {
            return false;
        }

        var head = steps[0] as string;
        switch (head)
        {
            case "input":
                path = new IteratorPath(text, IteratorRoot.Input, null, steps.Skip(1).ToList());
                return true;
            case "item":
                path = new IteratorPath(text, IteratorRoot.Item, null, steps.Skip(1).ToList());
                return true;
            case "parents" when steps.Count >= 3 && steps[1] is string parent && steps[2] is "output":
                path = new IteratorPath(text, IteratorRoot.Parent, parent, steps.Skip(3).ToList());
                return true;
            case "parents":
                error = $"'{text}' must read 'parents.<task>.output…'";
                return false;
            default:
                error = $"'{text}' must start with 'input', 'item' or 'parents.<task>.output'";
                return false;
        }
    }

    /// <summary>
    /// Reads the items from a task context <c>{ input, item, parents }</c>. Returns
    /// <see cref="IteratorEvaluation.NeedsPayload"/> when the way passes through a stored payload, which
    /// only an activity may load.
    /// </summary>
    public IteratorEvaluation Evaluate(JsonObject context) => Walk(Start(context));

    /// <summary>The value the path points at, whatever its kind, or null; stored payloads are not loaded.</summary>
    internal JsonNode? Find(JsonObject context)
    {
        var node = Start(context);
        foreach (var step in _steps)
        {
            node = Step(node, step);
        }

        return node;
    }

    /// <summary>Reads the items, loading stored payloads on the way (activity side).</summary>
    public async Task<IteratorEvaluation> EvaluateAsync(JsonObject context, Func<string, Task<JsonNode?>> loadPayload)
    {
        var node = Start(context);
        for (var i = 0; i <= _steps.Count; i++)
        {
            while (PayloadReference.TryGet(node, out var reference))
            {
                node = await loadPayload(reference);
            }

            if (i == _steps.Count)
            {
                break;
            }

            node = Step(node, _steps[i]);
        }

        return Finish(node);
    }

    private JsonNode? Start(JsonObject context) => Root switch
    {
        IteratorRoot.Input => context["input"],
        IteratorRoot.Item => context["item"],
        _ => context["parents"]?[Parent!],
    };

    private IteratorEvaluation Walk(JsonNode? node)
    {
        for (var i = 0; i <= _steps.Count; i++)
        {
            if (PayloadReference.TryGet(node, out _))
            {
                return IteratorEvaluation.NeedsPayload;
            }

            if (i == _steps.Count)
            {
                break;
            }

            node = Step(node, _steps[i]);
        }

        return Finish(node);
    }

    private static JsonNode? Step(JsonNode? node, object step) => step switch
    {
        string member when node is JsonObject obj => obj[member],
        int index when node is JsonArray array && index < array.Count => array[index],
        _ => null,
    };

    private IteratorEvaluation Finish(JsonNode? node) => node switch
    {
        JsonArray array => IteratorEvaluation.Found([.. array.Select(n => n?.DeepClone())]),
        null => IteratorEvaluation.Failed($"iterator '{Text}' found nothing: the value is missing or null"),
        _ => IteratorEvaluation.Failed($"iterator '{Text}' must give an array, not {node.GetValueKind().ToString().ToLowerInvariant()}"),
    };

    private static bool TrySplit(string text, out List<object> steps, out string? error)
    {
        steps = [];
        error = null;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                if (end < 0 || !int.TryParse(text.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    error = $"'{text}' has a bad index at position {i + 1}";
                    return false;
                }

                steps.Add(index);
                i = end + 1;
                if (i < text.Length && text[i] != '[')
                {
                    if (text[i] != '.')
                    {
                        error = $"'{text}' needs '.' or '[' at position {i + 1}";
                        return false;
                    }

                    i++;
                    if (i == text.Length)
                    {
                        error = $"'{text}' ends with '.'";
                        return false;
                    }
                }

                continue;
            }

            var stop = text.IndexOfAny(['.', '['], i);
            var member = stop < 0 ? text[i..] : text[i..stop];
            if (member.Length == 0)
            {
                error = $"'{text}' has an empty step at position {i + 1}";
                return false;
            }

            steps.Add(member);
            i = stop < 0 ? text.Length : stop + (text[stop] == '.' ? 1 : 0);
            if (stop >= 0 && text[stop] == '.' && i == text.Length)
            {
                error = $"'{text}' ends with '.'";
                return false;
            }
        }

        if (steps.Count == 0)
        {
            error = "an iterator path cannot be empty";
            return false;
        }

        return true;
    }
}
