using System.Text.Json;
using System.Text.Json.Serialization;
using DurablePipelines.Definitions;

namespace DurablePipelines.Records;

/// <summary>
/// The JSON shapes of every message that crosses a boundary (HTTP bodies, CLI output, stored records,
/// orchestration inputs): camelCase, enums as strings, durations as <c>hh:mm:ss</c>.
/// </summary>
public static class PipelineJson
{
    /// <summary>Records and messages: nulls are written, as docs/api.md shows them.</summary>
    public static JsonSerializerOptions Options { get; } = Create(JsonIgnoreCondition.Never);

    /// <summary>Definitions: absent options are left out, as people write them.</summary>
    public static JsonSerializerOptions Definitions { get; } = Create(JsonIgnoreCondition.WhenWritingNull);

    /// <summary>Indented records, for people.</summary>
    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };

    private static JsonSerializerOptions Create(JsonIgnoreCondition ignore)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = ignore,
            MaxDepth = JsonLimits.MaxDepth,
            Converters = { new JsonStringEnumConverter(), new IteratorDefinitionConverter() },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class IteratorDefinitionConverter : JsonConverter<IteratorDefinition>
    {
        public override IteratorDefinition? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                return IteratorDefinition.FromPath(reader.GetString()!);
            }

            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var handler = root.TryGetProperty("handler", out var h) ? h.GetString() : null;
            var config = root.TryGetProperty("config", out var c) ? System.Text.Json.Nodes.JsonNode.Parse(c.GetRawText()) as System.Text.Json.Nodes.JsonObject : null;
            return handler is null ? throw new JsonException("an iterator object needs a 'handler'") : IteratorDefinition.FromHandler(handler, config);
        }

        public override void Write(Utf8JsonWriter writer, IteratorDefinition value, JsonSerializerOptions options)
        {
            if (value.Path is not null)
            {
                writer.WriteStringValue(value.Path);
                return;
            }

            writer.WriteStartObject();
            writer.WriteString("handler", value.Handler);
            if (value.Config is not null)
            {
                writer.WritePropertyName("config");
                value.Config.WriteTo(writer);
            }

            writer.WriteEndObject();
        }
    }
}
