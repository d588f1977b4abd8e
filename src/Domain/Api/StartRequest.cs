using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Validation;

namespace DurablePipelines.Api;

/// <summary>
/// A start as the HTTP body (<c>{ "input": …, "runId": … }</c>) or the queue message
/// (<c>{ "pipeline": …, "input": …, "runId": … }</c>) gives it.
/// </summary>
/// <param name="Pipeline">The pipeline's name (queue only; the HTTP route names it).</param>
/// <param name="Input">The run input.</param>
/// <param name="RunId">The caller's run id, or null.</param>
public sealed record StartRequest(string? Pipeline, JsonNode? Input, string? RunId)
{
    /// <summary>Reads a start; every problem is reported with its path. An empty body is a start with no input.</summary>
    public static (StartRequest? Request, IReadOnlyList<ValidationError> Errors) Parse(string text, bool pipelineRequired)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return pipelineRequired
                ? (null, [new ValidationError("$.pipeline", ValidationCodes.Required, "'pipeline' is required")])
                : (new StartRequest(null, null, null), []);
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            return (null, [new ValidationError("$", ValidationCodes.JsonSyntax, $"not valid JSON: {ex.Message}")]);
        }

        if (root is not JsonObject obj)
        {
            return (null, [new ValidationError("$", ValidationCodes.Type, "the body must be a JSON object { \"input\": …, \"runId\": … }")]);
        }

        var errors = new List<ValidationError>();
        string[] known = pipelineRequired ? ["pipeline", "input", "runId"] : ["input", "runId"];
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key))
            {
                errors.Add(new ValidationError($"$.{key}", ValidationCodes.UnknownProperty, $"unknown member '{key}'{NameSuggestions.DidYouMean(key, known)}"));
            }
        }

        var pipeline = ReadString(obj, "pipeline", errors);
        if (pipelineRequired && pipeline is null && !errors.Any(e => e.Path == "$.pipeline"))
        {
            errors.Add(new ValidationError("$.pipeline", ValidationCodes.Required, "'pipeline' is required"));
        }

        var runId = ReadString(obj, "runId", errors);
        return errors.Count > 0 ? (null, errors) : (new StartRequest(pipeline, obj["input"]?.DeepClone(), runId), []);
    }

    private static string? ReadString(JsonObject obj, string name, List<ValidationError> errors)
    {
        var node = obj[name];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            return s;
        }

        errors.Add(new ValidationError($"$.{name}", ValidationCodes.Type, $"'{name}' must be a string"));
        return null;
    }
}
