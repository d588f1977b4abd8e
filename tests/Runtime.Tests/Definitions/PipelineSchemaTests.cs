using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Tests.Validation;
using DurablePipelines.Validation;
using NJsonSchema;

namespace DurablePipelines.Tests.Definitions;

/// <summary>schemas/pipeline.schema.json describes what <see cref="PipelineDefinitionReader"/> accepts.</summary>
public class PipelineSchemaTests
{
    private static readonly string s_schemaPath = Path.Combine(AppContext.BaseDirectory, "schemas", "pipeline.schema.json");

    private static readonly Lazy<JsonSchema> s_schema = new(() =>
    {
        // NJsonSchema resolves references under "definitions" (drafts 4-7) but not the 2020-12 "$defs" the file uses;
        // both are plain JSON pointers, so the rename changes nothing else.
        var text = File.ReadAllText(s_schemaPath).Replace("\"$defs\"", "\"definitions\"", StringComparison.Ordinal).Replace("#/$defs/", "#/definitions/", StringComparison.Ordinal);
        return JsonSchema.FromJsonAsync(text).GetAwaiter().GetResult();
    });

    [Fact]
    public void Schema_File_IsDraft202012Json()
    {
        var schema = JsonNode.Parse(File.ReadAllText(s_schemaPath))!;

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema["$schema"]!.GetValue<string>());
        Assert.Equal("object", schema["type"]!.GetValue<string>());
        Assert.Equal(["name", "tasks"], schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Theory]
    [MemberData(nameof(DefinitionSamples.Valid), MemberType = typeof(DefinitionSamples))]
    public void Schema_SampleTheEngineAccepts_IsValid(string sample)
    {
        var json = DefinitionSamples.Get(sample);
        Assert.Empty(TestValidator.Create().ReadAndValidate(json).Errors);

        var errors = s_schema.Value.Validate(json);

        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Theory]
    [MemberData(nameof(DefinitionSamples.Refused), MemberType = typeof(DefinitionSamples))]
    public void Schema_SampleTheReaderRefuses_IsInvalid(string sample)
    {
        var json = DefinitionSamples.Get(sample);
        Assert.NotEmpty(PipelineDefinitionReader.Read(json).Errors);

        Assert.NotEmpty(s_schema.Value.Validate(json));
    }

    [Theory]
    [InlineData("00:00:02", true)]
    [InlineData("1.02:03:04.5", true)]
    [InlineData("00:05", true)]
    [InlineData("500ms", true)]
    [InlineData("1.5h", true)]
    [InlineData(" 10 s", true)]
    [InlineData("5 minutes", false)]
    [InlineData("5", false)]
    [InlineData("-5s", false)]
    [InlineData("25:00:00", false)]
    [InlineData("5d", false)]
    public void Schema_DurationPattern_AgreesWithDurations(string text, bool accepted)
    {
        Assert.Equal(accepted, Durations.TryParse(text, out _));
        var json = $$"""{ "name": "p", "ttl": {{JsonSerializer.Serialize(text)}}, "tasks": [ { "name": "a", "handler": "echo" } ] }""";

        Assert.Equal(accepted, s_schema.Value.Validate(json).Count == 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("task")]
    [InlineData("retry")]
    [InlineData("iterator")]
    public void Schema_EveryMemberItLists_IsKnownToTheReader(string definition)
    {
        var members = MembersOf(definition);
        Assert.NotEmpty(members);
        var unknown = new List<string>();
        foreach (var member in members)
        {
            var root = JsonNode.Parse("""{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "retry": {}, "iterator": { "handler": "files" } } ] }""")!;
            var target = definition switch
            {
                "" => root,
                "task" => root["tasks"]![0]!,
                _ => root["tasks"]![0]![definition]!,
            };
            target.AsObject().Remove(member);
            target[member] = null;
            if (PipelineDefinitionReader.Read(root.ToJsonString()).Errors.Any(e => e.Code == ValidationCodes.UnknownProperty))
            {
                unknown.Add(member);
            }
        }

        Assert.Empty(unknown);
    }

    [Fact]
    public void Schema_EveryObjectTheReaderChecksForUnknownMembers_RefusesThemToo()
    {
        var schema = JsonNode.Parse(File.ReadAllText(s_schemaPath))!;

        Assert.False(schema["additionalProperties"]!.GetValue<bool>());
        Assert.False(schema["$defs"]!["task"]!["additionalProperties"]!.GetValue<bool>());
        Assert.False(schema["$defs"]!["retry"]!["additionalProperties"]!.GetValue<bool>());
        Assert.False(schema["$defs"]!["iterator"]!["oneOf"]![2]!["additionalProperties"]!.GetValue<bool>());
    }

    private static List<string> MembersOf(string definition)
    {
        var schema = JsonNode.Parse(File.ReadAllText(s_schemaPath))!;
        var node = definition switch
        {
            "" => schema,
            "iterator" => schema["$defs"]!["iterator"]!["oneOf"]!.AsArray().Single(o => o!["type"]!.ToString() == "object")!,
            _ => schema["$defs"]![definition]!,
        };
        return [.. node["properties"]!.AsObject().Select(p => p.Key)];
    }
}
