using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Validation;

namespace DurablePipelines.Tests.Definitions;

public class PipelineDefinitionReaderTests
{
    private const string NotADuration = "is not a duration (use hh:mm:ss, or a number followed by ms, s, m or h)";

    [Fact]
    public void Read_InvalidJson_ReportsJsonSyntaxWithLineAndPosition()
    {
        var json = "{\n  \"name\": \"p\",\n  \"tasks\": [\n    { \"name\": \"a\" \"handler\": \"echo\" }\n  ]\n}";

        var result = PipelineDefinitionReader.Read(json);

        Assert.Null(result.Definition);
        Assert.Equal([new ValidationError("$", "json-syntax", "not valid JSON (line 4, position 19)")], result.Errors);
    }

    [Fact]
    public void Read_EmptyText_ReportsJsonSyntax()
    {
        var result = PipelineDefinitionReader.Read(string.Empty);

        Assert.Null(result.Definition);
        Assert.Equal([new ValidationError("$", "json-syntax", "not valid JSON (line 1, position 1)")], result.Errors);
    }

    [Fact]
    public void Read_DuplicateMember_ReportsJsonSyntaxInsteadOfThrowing()
    {
        var result = PipelineDefinitionReader.Read("""{ "name": "a", "name": "b", "tasks": [] }""");

        Assert.Null(result.Definition);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("$", "json-syntax"), (error.Path, error.Code));
        Assert.StartsWith("not valid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'name'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("\"orders\"")]
    public void Read_RootNotObject_ReportsType(string json)
    {
        var result = PipelineDefinitionReader.Read(json);

        Assert.Null(result.Definition);
        Assert.Equal([new ValidationError("$", "type", "a pipeline definition must be a JSON object")], result.Errors);
    }

    [Fact]
    public void Read_MissingTasks_ReportsRequired()
    {
        var result = PipelineDefinitionReader.Read("""{ "name": "p" }""");

        Assert.Equal([new ValidationError("$.tasks", "required", "a pipeline needs a 'tasks' array")], result.Errors);
        Assert.Empty(result.Definition!.Tasks);
    }

    [Fact]
    public void Read_TasksNotArray_ReportsType()
    {
        var result = PipelineDefinitionReader.Read("""{ "name": "p", "tasks": { "a": {} } }""");

        Assert.Equal([new ValidationError("$.tasks", "type", "'tasks' must be an array")], result.Errors);
    }

    [Fact]
    public void Read_MissingNameAndHandler_ReportsRequiredAtEachPath()
    {
        var result = PipelineDefinitionReader.Read("""{ "tasks": [ { "name": "a", "handler": "echo" }, { "config": {} } ] }""");

        Assert.Equal(
            [
                new ValidationError("$.tasks[1].name", "required", "'name' is required"),
                new ValidationError("$.tasks[1].handler", "required", "'handler' is required"),
                new ValidationError("$.name", "required", "'name' is required"),
            ],
            result.Errors);
    }

    [Fact]
    public void Read_NullRequiredMember_ReportsRequired()
    {
        var result = PipelineDefinitionReader.Read("""{ "name": null, "tasks": [ { "name": "a", "handler": null } ] }""");

        Assert.Equal(
            [
                new ValidationError("$.tasks[0].handler", "required", "'handler' is required"),
                new ValidationError("$.name", "required", "'name' is required"),
            ],
            result.Errors);
    }

    [Fact]
    public void Read_WrongTypes_ReportsTypeForEveryMember()
    {
        var json = """
            {
              "name": 5, "version": true, "description": [], "failFast": "yes", "multilaunch": 1,
              "runIdFrom": {}, "ttl": 30, "metadata": [],
              "tasks": [
                { "name": "a", "handler": 7, "description": 3, "config": "x", "parents": "b",
                  "maxConcurrency": 2.5, "timeout": false, "metadata": 1 }
              ]
            }
            """;

        var result = PipelineDefinitionReader.Read(json);

        Assert.Equal(
            [
                new ValidationError("$.tasks[0].description", "type", "'description' must be a string"),
                new ValidationError("$.tasks[0].handler", "type", "'handler' must be a string"),
                new ValidationError("$.tasks[0].config", "type", "'config' must be an object"),
                new ValidationError("$.tasks[0].parents", "type", "'parents' must be an array of task names"),
                new ValidationError("$.tasks[0].maxConcurrency", "type", "'maxConcurrency' must be a whole number"),
                new ValidationError("$.tasks[0].timeout", "type", "'timeout' must be a string"),
                new ValidationError("$.tasks[0].metadata", "type", "'metadata' must be an object"),
                new ValidationError("$.name", "type", "'name' must be a string"),
                new ValidationError("$.version", "type", "'version' must be a string"),
                new ValidationError("$.description", "type", "'description' must be a string"),
                new ValidationError("$.failFast", "type", "'failFast' must be true or false"),
                new ValidationError("$.multilaunch", "type", "'multilaunch' must be true or false"),
                new ValidationError("$.runIdFrom", "type", "'runIdFrom' must be a string"),
                new ValidationError("$.ttl", "type", "'ttl' must be a string"),
                new ValidationError("$.metadata", "type", "'metadata' must be an object"),
            ],
            result.Errors);
    }

    [Theory]
    [InlineData("""{ "name": "p", "tasks": [ { "name": "b", "handler": "echo", "parent": ["a"] } ] }""", "$.tasks[0].parent", "unknown member 'parent' (did you mean 'parents'?)")]
    [InlineData("""{ "name": "p", "failfast": true, "tasks": [] }""", "$.failfast", "unknown member 'failfast' (did you mean 'failFast'?)")]
    [InlineData("""{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "retry": { "attempt": 3 } } ] }""", "$.tasks[0].retry.attempt", "unknown member 'attempt' (did you mean 'attempts'?)")]
    [InlineData("""{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "iterator": { "handler": "files", "confg": {} } } ] }""", "$.tasks[0].iterator.confg", "unknown member 'confg' (did you mean 'config'?)")]
    [InlineData("""{ "name": "p", "colour": "red", "tasks": [] }""", "$.colour", "unknown member 'colour'")]
    public void Read_UnknownMember_ReportsItWithClosestKnownName(string json, string path, string message)
    {
        var result = PipelineDefinitionReader.Read(json);

        Assert.Equal([new ValidationError(path, "unknown-property", message)], result.Errors);
    }

    [Fact]
    public void Read_SchemaMember_IsAllowed()
    {
        var result = PipelineDefinitionReader.Read("""{ "$schema": "./pipeline.schema.json", "name": "p", "tasks": [] }""");

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Read_BadDurations_ReportsDurationAtEachPath()
    {
        var json = """
            {
              "name": "p", "ttl": "5 minutes",
              "tasks": [ { "name": "a", "handler": "echo", "timeout": "soon", "retry": { "delay": "5", "maxDelay": "-1s" } } ]
            }
            """;

        var result = PipelineDefinitionReader.Read(json);

        Assert.Equal(
            [
                new ValidationError("$.tasks[0].retry.delay", "duration", $"'5' {NotADuration}"),
                new ValidationError("$.tasks[0].retry.maxDelay", "duration", $"'-1s' {NotADuration}"),
                new ValidationError("$.tasks[0].timeout", "duration", $"'soon' {NotADuration}"),
                new ValidationError("$.ttl", "duration", $"'5 minutes' {NotADuration}"),
            ],
            result.Errors);
        Assert.Null(result.Definition!.Ttl);
    }

    [Fact]
    public void Read_DurationsInEveryForm_AreRead()
    {
        var json = """
            {
              "name": "p", "ttl": "06:00:00",
              "tasks": [ { "name": "a", "handler": "echo", "timeout": "90s", "retry": { "delay": "500ms", "maxDelay": "2m" } } ]
            }
            """;

        var definition = PipelineDefinitionReader.Read(json).Definition!;

        Assert.Equal(TimeSpan.FromHours(6), definition.Ttl);
        Assert.Equal(TimeSpan.FromSeconds(90), definition.Tasks[0].Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), definition.Tasks[0].Retry!.Delay);
        Assert.Equal(TimeSpan.FromMinutes(2), definition.Tasks[0].Retry!.MaxDelay);
    }

    [Fact]
    public void Read_RetryObject_ReadsEveryMember()
    {
        var json = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "retry": { "attempts": 3, "delay": "00:00:02", "backoff": 2.5, "maxDelay": "00:01:00" } } ] }""";

        var result = PipelineDefinitionReader.Read(json);

        Assert.Empty(result.Errors);
        Assert.Equal(
            new RetryPolicy { Attempts = 3, Delay = TimeSpan.FromSeconds(2), Backoff = 2.5, MaxDelay = TimeSpan.FromMinutes(1) },
            result.Definition!.Tasks[0].Retry);
    }

    [Fact]
    public void Read_RetryObjectPartial_UsesDefaults()
    {
        var json = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "retry": {} } ] }""";

        var retry = PipelineDefinitionReader.Read(json).Definition!.Tasks[0].Retry;

        Assert.Equal(new RetryPolicy { Attempts = 1, Delay = TimeSpan.Zero, Backoff = 1.0, MaxDelay = null }, retry);
    }

    [Fact]
    public void Read_RetryNotObject_ReportsType()
    {
        var json = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "retry": "3 times" } ] }""";

        var result = PipelineDefinitionReader.Read(json);

        Assert.Equal(
            [new ValidationError("$.tasks[0].retry", "type", "'retry' must be an object { \"attempts\", \"delay\", \"backoff\", \"maxDelay\" }")],
            result.Errors);
        Assert.Null(result.Definition!.Tasks[0].Retry);
    }

    [Fact]
    public void Read_RetryMembersWrongTypes_ReportsType()
    {
        var json = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "retry": { "attempts": "3", "backoff": "2" } } ] }""";

        var result = PipelineDefinitionReader.Read(json);

        Assert.Equal(
            [
                new ValidationError("$.tasks[0].retry.attempts", "type", "'attempts' must be a whole number"),
                new ValidationError("$.tasks[0].retry.backoff", "type", "'backoff' must be a number"),
            ],
            result.Errors);
    }

    [Fact]
    public void Read_IteratorString_IsPath()
    {
        var json = """{ "name": "p", "iterator": "input.regions", "tasks": [ { "name": "a", "handler": "echo", "iterator": "item.files" } ] }""";

        var definition = PipelineDefinitionReader.Read(json).Definition!;

        Assert.Equal(IteratorDefinition.FromPath("input.regions"), definition.Iterator);
        Assert.Equal("item.files", definition.Tasks[0].Iterator!.Path);
        Assert.Null(definition.Tasks[0].Iterator!.Handler);
    }

    [Fact]
    public void Read_IteratorObject_IsHandlerWithConfig()
    {
        var json = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "iterator": { "handler": "files", "config": { "folder": "/in" } } } ] }""";

        var result = PipelineDefinitionReader.Read(json);

        Assert.Empty(result.Errors);
        var iterator = result.Definition!.Tasks[0].Iterator!;
        Assert.Null(iterator.Path);
        Assert.Equal("files", iterator.Handler);
        Assert.Equal("""{"folder":"/in"}""", iterator.Config!.ToJsonString());
    }

    [Theory]
    [InlineData("42")]
    [InlineData("[\"input.a\"]")]
    [InlineData("true")]
    public void Read_IteratorNeitherStringNorObject_ReportsType(string iterator)
    {
        var json = $$"""{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "iterator": {{iterator}} } ] }""";

        var result = PipelineDefinitionReader.Read(json);

        Assert.Equal(
            [new ValidationError("$.tasks[0].iterator", "type", "an iterator is a path string or an object { \"handler\": …, \"config\": … }")],
            result.Errors);
    }

    [Fact]
    public void Read_IteratorObjectWithoutHandler_ReportsEveryProblem()
    {
        var json = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo", "iterator": { "config": 5 } } ] }""";

        var result = PipelineDefinitionReader.Read(json);

        Assert.Equal(
            [
                new ValidationError("$.tasks[0].iterator.handler", "required", "'handler' is required"),
                new ValidationError("$.tasks[0].iterator.config", "type", "'config' must be an object"),
            ],
            result.Errors);
        Assert.Null(result.Definition!.Tasks[0].Iterator);
    }

    [Fact]
    public void Read_TaskNotObject_KeepsItsIndexSoLaterPathsAreRight()
    {
        var json = """{ "name": "p", "tasks": [ "extract", { "name": "load", "handler": "echo", "parent": ["extract"] } ] }""";

        var result = PipelineDefinitionReader.Read(json);

        Assert.Equal(
            [
                new ValidationError("$.tasks[0]", "type", "a task must be a JSON object"),
                new ValidationError("$.tasks[1].parent", "unknown-property", "unknown member 'parent' (did you mean 'parents'?)"),
            ],
            result.Errors);
        Assert.Equal(2, result.Definition!.Tasks.Count);
        Assert.Equal("load", result.Definition.Tasks[1].Name);
    }

    [Fact]
    public void Read_ParentNotString_KeepsIndexOfLaterParents()
    {
        var json = """{ "name": "p", "tasks": [ { "name": "a", "handler": "echo" }, { "name": "b", "handler": "echo", "parents": [0, "a"] } ] }""";

        var result = PipelineDefinitionReader.Read(json);

        Assert.Equal([new ValidationError("$.tasks[1].parents[0]", "type", "a parent must be a task name (string)")], result.Errors);
        var parents = result.Definition!.Tasks[1].Parents!;
        Assert.Equal(2, parents.Count);
        Assert.Equal("a", parents[1]);
    }

    [Theory]
    [InlineData("2", "2")]
    [InlineData("1.5", "1.5")]
    [InlineData("\"2024-01\"", "2024-01")]
    public void Read_Version_IsTextEvenWhenANumber(string version, string expected)
    {
        var result = PipelineDefinitionReader.Read($$"""{ "name": "p", "version": {{version}}, "tasks": [] }""");

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.Definition!.Version);
    }

    [Fact]
    public void Read_CommentsAndTrailingCommas_AreAllowed()
    {
        var json = """
            {
              // nightly
              "name": "p",
              "tasks": [ { "name": "a", "handler": "echo", }, ],
            }
            """;

        var result = PipelineDefinitionReader.Read(json);

        Assert.Empty(result.Errors);
        Assert.Equal("a", Assert.Single(result.Definition!.Tasks).Name);
    }

    [Fact]
    public void Read_DesignExample_ReadsEveryMember()
    {
        var result = PipelineDefinitionReader.Read(DefinitionSamples.Design);

        Assert.Empty(result.Errors);
        var d = result.Definition!;
        Assert.Equal(("orders-nightly", "1", "Re-price every open order, per region"), (d.Name, d.Version, d.Description));
        Assert.Equal("input.regions", d.Iterator!.Path);
        Assert.False(d.FailFast);
        Assert.False(d.Multilaunch);
        Assert.Equal("orders-{input.date}", d.RunIdFrom);
        Assert.Equal(TimeSpan.FromHours(6), d.Ttl);
        Assert.Equal("""{"owner":"billing"}""", d.Metadata!.ToJsonString());
        Assert.Equal(["extract", "price", "load"], d.Tasks.Select(t => t.Name));
        Assert.Equal(["http", "echo", "echo"], d.Tasks.Select(t => t.Handler));
        Assert.Equal("""{"url":"https://example.test/orders"}""", d.Tasks[0].Config!.ToJsonString());
        Assert.Null(d.Tasks[0].Parents);
        var price = d.Tasks[1];
        Assert.Equal(["extract"], price.Parents!);
        Assert.Equal("parents.extract.output.orders", price.Iterator!.Path);
        Assert.Equal(50, price.MaxConcurrency);
        Assert.Equal(new RetryPolicy { Attempts = 3, Delay = TimeSpan.FromSeconds(2), Backoff = 2.0 }, price.Retry);
        Assert.Equal(TimeSpan.FromMinutes(5), price.Timeout);
        Assert.True(d.IsGraph);
    }

    [Fact]
    public void Read_Metadata_IsAnUntouchedCopy()
    {
        var root = JsonNode.Parse("""{ "name": "p", "metadata": { "owner": "billing", "tags": [1, 2] }, "tasks": [] }""")!;

        var definition = PipelineDefinitionReader.Read(root).Definition!;
        root["metadata"]!["owner"] = "changed";

        Assert.Equal("""{"owner":"billing","tags":[1,2]}""", definition.Metadata!.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(DefinitionSamples.Valid), MemberType = typeof(DefinitionSamples))]
    public void Read_ValidSample_HasNoErrors(string sample)
    {
        var result = PipelineDefinitionReader.Read(DefinitionSamples.Get(sample));

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Definition);
    }

    [Theory]
    [MemberData(nameof(DefinitionSamples.Refused), MemberType = typeof(DefinitionSamples))]
    public void Read_RefusedSample_HasErrors(string sample)
    {
        var result = PipelineDefinitionReader.Read(DefinitionSamples.Get(sample));

        Assert.NotEmpty(result.Errors);
    }
}
