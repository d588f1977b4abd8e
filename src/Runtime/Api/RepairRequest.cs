using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Validation;

namespace DurablePipelines.Api;

/// <summary>
/// The body of <c>POST /api/runs/{runId}/results/{pipelineResult}/{task}/{taskResult}/retry|skip|fail</c>: empty, or an
/// object with <c>by</c> (who acts, free text) and, for a retry, <c>config</c> and <c>item</c> to run the next attempts
/// with, or, for a skip, the result's <c>output</c>.
/// </summary>
public static class RepairRequest
{
    /// <summary>The longest <c>by</c> kept.</summary>
    public const int MaxByLength = 200;

    private static readonly JsonDocumentOptions s_reading = new() { MaxDepth = JsonLimits.MaxDepth, AllowDuplicateProperties = false };

    /// <summary>The route's last segment as an action; null when it names none.</summary>
    public static RepairAction? ActionOf(string segment) => segment switch
    {
        "retry" => RepairAction.Retry,
        "skip" => RepairAction.Skip,
        "fail" => RepairAction.Fail,
        _ => null,
    };

    /// <summary>The members a body of <paramref name="action"/> may have.</summary>
    public static IReadOnlyList<string> Members(RepairAction action) => action switch
    {
        RepairAction.Retry => ["by", "config", "item"],
        RepairAction.Skip => ["by", "output"],
        _ => ["by"],
    };

    /// <summary>
    /// Reads the body of <paramref name="action"/> on the result it addresses; every problem is reported with its path.
    /// </summary>
    public static (RepairMessage? Message, IReadOnlyList<ValidationError> Errors) Parse(ReadOnlySpan<byte> utf8, RepairAction action, int pipelineResult, string task, int taskResult)
    {
        var message = new RepairMessage { PipelineResult = pipelineResult, Task = task, TaskResult = taskResult, Action = action };
        if (utf8.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        }

        if (utf8.TrimStart(" \t\r\n"u8).IsEmpty)
        {
            return (message, []);
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(utf8, documentOptions: s_reading);
        }
        catch (JsonException ex)
        {
            return (null, [new ValidationError("$", ValidationCodes.JsonSyntax, $"not valid JSON: {ex.Message}")]);
        }

        var verb = action.ToString().ToLowerInvariant();
        if (root is not JsonObject body)
        {
            return (null, [new ValidationError("$", ValidationCodes.Type, $"the body must be a JSON object {{ {string.Join(", ", Members(action).Select(m => $"\"{m}\""))} }}")]);
        }

        var errors = new List<ValidationError>();
        var allowed = Members(action);
        foreach (var (key, _) in body)
        {
            if (!allowed.Contains(key))
            {
                var other = Enum.GetValues<RepairAction>().Where(a => a != action && Members(a).Contains(key)).Select(a => a.ToString().ToLowerInvariant()).FirstOrDefault();
                var hint = other is not null ? $": '{key}' goes with a {other}" : NameSuggestions.DidYouMean(key, allowed);
                errors.Add(new ValidationError($"$.{key}", ValidationCodes.UnknownProperty, $"unknown member '{key}' of a {verb}{hint}"));
            }
        }

        string? by = null;
        switch (body["by"])
        {
            case null:
                break;
            case JsonValue v when v.TryGetValue<string>(out var text) && text.Length is > 0 and <= MaxByLength:
                by = text;
                break;
            default:
                errors.Add(new ValidationError("$.by", ValidationCodes.Type, $"'by' must be a string of 1 to {MaxByLength} characters"));
                break;
        }

        JsonObject? config = null;
        if (body.ContainsKey("config") && allowed.Contains("config"))
        {
            if (body["config"] is JsonObject c)
            {
                config = (JsonObject)c.DeepClone();
            }
            else
            {
                errors.Add(new ValidationError("$.config", ValidationCodes.Type, "'config' must be an object: the task's config for the next attempts"));
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (message with
        {
            By = by,
            Config = config,
            Item = allowed.Contains("item") ? body["item"]?.DeepClone() : null,
            Output = allowed.Contains("output") ? body["output"]?.DeepClone() : null,
        }, []);
    }
}
