using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Validation;

namespace DurablePipelines.Definitions;

/// <summary>
/// Reads the JSON definition format (docs/definition.md) and reports every structural error with its
/// JSON path instead of stopping at the first. Meaning (names, parents, cycles, handlers) is checked by
/// <see cref="PipelineValidator"/>; a task that cannot be read keeps its index so paths stay right.
/// </summary>
public static class PipelineDefinitionReader
{
    private static readonly HashSet<string> s_pipelineMembers =
        ["$schema", "name", "version", "description", "iterator", "failFast", "multilaunch", "runIdFrom", "ttl", "repair", "execution", "metadata", "tasks"];

    private static readonly HashSet<string> s_taskMembers =
        ["name", "handler", "config", "parents", "iterator", "maxConcurrency", "retry", "toleratedFailures", "repair", "execution", "using", "timeout", "metadata", "description"];

    private static readonly HashSet<string> s_retryMembers = ["attempts", "delay", "backoff", "maxDelay"];

    private static readonly HashSet<string> s_repairMembers = ["timeout"];

    private static readonly HashSet<string> s_toleratedMembers = ["count", "percentage"];

    private static readonly HashSet<string> s_iteratorMembers = ["handler", "config"];

    /// <summary>Reads a definition from JSON text.</summary>
    public static DefinitionReadResult Read(string json)
    {
        JsonNode? root;
        try
        {
            // Duplicate members are refused while parsing; allowed, JsonObject would throw on first access.
            var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false };
            root = JsonNode.Parse(json, documentOptions: options);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : $": {ex.Message}";
            return new DefinitionReadResult(null, [new ValidationError("$", ValidationCodes.JsonSyntax, $"not valid JSON{where}")]);
        }

        return Read(root);
    }

    /// <summary>Reads a definition from a parsed JSON node.</summary>
    public static DefinitionReadResult Read(JsonNode? root)
    {
        var errors = new List<ValidationError>();
        if (root is not JsonObject obj)
        {
            errors.Add(new ValidationError("$", ValidationCodes.Type, "a pipeline definition must be a JSON object"));
            return new DefinitionReadResult(null, errors);
        }

        var r = new Reader(errors);
        r.UnknownMembers(obj, "$", s_pipelineMembers);
        var tasks = new List<TaskDefinition>();
        if (obj["tasks"] is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                tasks.Add(ReadTask(r, array[i], $"$.tasks[{i}]"));
            }
        }
        else if (obj["tasks"] is null)
        {
            errors.Add(new ValidationError("$.tasks", ValidationCodes.Required, "a pipeline needs a 'tasks' array"));
        }
        else
        {
            errors.Add(new ValidationError("$.tasks", ValidationCodes.Type, "'tasks' must be an array"));
        }

        var definition = new PipelineDefinition
        {
            Name = r.RequiredString(obj, "name", "$.name") ?? string.Empty,
            Version = r.String(obj, "version", "$.version", allowNumber: true) ?? "1",
            Description = r.String(obj, "description", "$.description"),
            Iterator = ReadIterator(r, obj["iterator"], "$.iterator"),
            FailFast = r.Bool(obj, "failFast", "$.failFast"),
            Multilaunch = r.Bool(obj, "multilaunch", "$.multilaunch"),
            RunIdFrom = r.String(obj, "runIdFrom", "$.runIdFrom"),
            Ttl = r.Duration(obj, "ttl", "$.ttl"),
            Repair = ReadRepair(r, obj["repair"], "$.repair"),
            Execution = r.String(obj, "execution", "$.execution"),
            Metadata = r.Object(obj, "metadata", "$.metadata"),
            Tasks = tasks,
        };
        return new DefinitionReadResult(definition, errors);
    }

    private static TaskDefinition ReadTask(Reader r, JsonNode? node, string path)
    {
        if (node is not JsonObject obj)
        {
            r.Error(path, ValidationCodes.Type, "a task must be a JSON object");
            return new TaskDefinition { Name = string.Empty, Handler = string.Empty };
        }

        r.UnknownMembers(obj, path, s_taskMembers);

        // A task's description is for people reading the file: checked, not kept.
        _ = r.String(obj, "description", $"{path}.description");
        return new TaskDefinition
        {
            Name = r.RequiredString(obj, "name", $"{path}.name") ?? string.Empty,
            Handler = r.RequiredString(obj, "handler", $"{path}.handler") ?? string.Empty,
            Config = r.Object(obj, "config", $"{path}.config"),
            Parents = r.StringList(obj, "parents", $"{path}.parents"),
            Iterator = ReadIterator(r, obj["iterator"], $"{path}.iterator"),
            MaxConcurrency = r.Int(obj, "maxConcurrency", $"{path}.maxConcurrency"),
            Retry = ReadRetry(r, obj["retry"], $"{path}.retry"),
            ToleratedFailures = ReadToleratedFailures(r, obj["toleratedFailures"], $"{path}.toleratedFailures"),
            Repair = ReadRepair(r, obj["repair"], $"{path}.repair"),
            Execution = r.String(obj, "execution", $"{path}.execution"),
            Using = r.String(obj, "using", $"{path}.using"),
            Timeout = r.Duration(obj, "timeout", $"{path}.timeout"),
            Metadata = r.Object(obj, "metadata", $"{path}.metadata"),
        };
    }

    private static IteratorDefinition? ReadIterator(Reader r, JsonNode? node, string path)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonValue v when v.TryGetValue<string>(out var text):
                return IteratorDefinition.FromPath(text);
            case JsonObject obj:
                r.UnknownMembers(obj, path, s_iteratorMembers);
                var handler = r.RequiredString(obj, "handler", $"{path}.handler");
                var config = r.Object(obj, "config", $"{path}.config");
                return handler is null ? null : IteratorDefinition.FromHandler(handler, config);
            default:
                r.Error(path, ValidationCodes.Type, "an iterator is a path string or an object { \"handler\": …, \"config\": … }");
                return null;
        }
    }

    private static RetryPolicy? ReadRetry(Reader r, JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject obj)
        {
            r.Error(path, ValidationCodes.Type, "'retry' must be an object { \"attempts\", \"delay\", \"backoff\", \"maxDelay\" }");
            return null;
        }

        r.UnknownMembers(obj, path, s_retryMembers);
        return new RetryPolicy
        {
            Attempts = r.Int(obj, "attempts", $"{path}.attempts") ?? 1,
            Delay = r.Duration(obj, "delay", $"{path}.delay") ?? TimeSpan.Zero,
            Backoff = r.Double(obj, "backoff", $"{path}.backoff") ?? 1.0,
            MaxDelay = r.Duration(obj, "maxDelay", $"{path}.maxDelay"),
        };
    }

    private static ToleratedFailures? ReadToleratedFailures(Reader r, JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject obj)
        {
            r.Error(path, ValidationCodes.Type, "'toleratedFailures' must be an object { \"count\", \"percentage\" }");
            return null;
        }

        r.UnknownMembers(obj, path, s_toleratedMembers);
        return new ToleratedFailures
        {
            Count = r.Int(obj, "count", $"{path}.count"),
            Percentage = r.Double(obj, "percentage", $"{path}.percentage"),
        };
    }

    private static RepairPolicy? ReadRepair(Reader r, JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject obj)
        {
            r.Error(path, ValidationCodes.Type, "'repair' must be an object { \"timeout\" } ({} waits for an operator without a time limit)");
            return null;
        }

        r.UnknownMembers(obj, path, s_repairMembers);
        return new RepairPolicy { Timeout = r.Duration(obj, "timeout", $"{path}.timeout") };
    }

    private sealed class Reader(List<ValidationError> errors)
    {
        public void Error(string path, string code, string message) => errors.Add(new ValidationError(path, code, message));

        public void UnknownMembers(JsonObject obj, string path, HashSet<string> known)
        {
            foreach (var (key, _) in obj)
            {
                if (!known.Contains(key))
                {
                    var hint = NameSuggestions.DidYouMean(key, known);
                    Error($"{path}.{key}", ValidationCodes.UnknownProperty, $"unknown member '{key}'{hint}");
                }
            }
        }

        public string? RequiredString(JsonObject obj, string name, string path)
        {
            if (obj[name] is null)
            {
                Error(path, ValidationCodes.Required, $"'{name}' is required");
                return null;
            }

            return String(obj, name, path);
        }

        public string? String(JsonObject obj, string name, string path, bool allowNumber = false)
        {
            var node = obj[name];
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue v)
            {
                if (v.TryGetValue<string>(out var s))
                {
                    return s;
                }

                if (allowNumber && v.GetValueKind() == JsonValueKind.Number)
                {
                    return v.ToJsonString();
                }
            }

            Error(path, ValidationCodes.Type, $"'{name}' must be a string");
            return null;
        }

        public bool Bool(JsonObject obj, string name, string path)
        {
            var node = obj[name];
            if (node is null)
            {
                return false;
            }

            if (node is JsonValue v && v.TryGetValue<bool>(out var b))
            {
                return b;
            }

            Error(path, ValidationCodes.Type, $"'{name}' must be true or false");
            return false;
        }

        public int? Int(JsonObject obj, string name, string path)
        {
            var node = obj[name];
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i))
            {
                return i;
            }

            Error(path, ValidationCodes.Type, $"'{name}' must be a whole number");
            return null;
        }

        public double? Double(JsonObject obj, string name, string path)
        {
            var node = obj[name];
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d))
            {
                return d;
            }

            Error(path, ValidationCodes.Type, $"'{name}' must be a number");
            return null;
        }

        public TimeSpan? Duration(JsonObject obj, string name, string path)
        {
            var text = String(obj, name, path);
            if (text is null)
            {
                return null;
            }

            if (Durations.TryParse(text, out var value))
            {
                return value;
            }

            Error(path, ValidationCodes.Duration, $"'{text}' is not a duration ({Durations.Expected})");
            return null;
        }

        public JsonObject? Object(JsonObject obj, string name, string path)
        {
            var node = obj[name];
            if (node is null)
            {
                return null;
            }

            if (node is JsonObject o)
            {
                return (JsonObject)o.DeepClone();
            }

            Error(path, ValidationCodes.Type, $"'{name}' must be an object");
            return null;
        }

        public List<string>? StringList(JsonObject obj, string name, string path)
        {
            var node = obj[name];
            if (node is null)
            {
                return null;
            }

            if (node is not JsonArray array)
            {
                Error(path, ValidationCodes.Type, $"'{name}' must be an array of task names");
                return [];
            }

            var list = new List<string>(array.Count);
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    list.Add(s);
                }
                else
                {
                    // Keeps the index, so the validator's paths for later parents stay right.
                    Error($"{path}[{i}]", ValidationCodes.Type, "a parent must be a task name (string)");
                    list.Add(string.Empty);
                }
            }

            return list;
        }
    }
}
