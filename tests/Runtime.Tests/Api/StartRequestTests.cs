using System.Text;
using System.Text.Json.Nodes;
using DurablePipelines.Api;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Api;

/// <summary>The door every start passes, HTTP body or queue message: what it refuses, with the text users read.</summary>
public sealed class StartRequestTests
{
    [Fact]
    public void Parse_InputKeyGivenTwice_RefusedWithThePathOfTheRepeat()
    {
        var errors = Errors("""{"input":{},"input":{"a":1}}""");

        Assert.Equal(["$.input: the key 'input' appears more than once in this object"], errors);
    }

    [Fact]
    public void Parse_KeyRepeatedThroughAnEscape_RefusedAsTheSameKey()
    {
        var errors = Errors("""{"input":{"x y":{"a":1,"\u0061":2}}}""");

        Assert.Equal(["$.input['x y'].a: the key 'a' appears more than once in this object"], errors);
    }

    [Fact]
    public void Parse_InputNested63Levels_RefusedWhereItPassesTheLimit()
    {
        var errors = Errors($$"""{"input":{{Nest(63)}}}""");

        Assert.Equal([$"$.input{string.Concat(Enumerable.Repeat(".a", 57))}: nests deeper than 57 levels, the limit for a run's input"], errors);
    }

    [Fact]
    public void Parse_InputAtTheLimitAndOneLevelPastIt_AcceptedThenRefused()
    {
        var (atLimit, _) = StartRequest.Parse(Encoding.UTF8.GetBytes($$"""{"input":{{Nest(JsonLimits.MaxValueDepth)}}}"""), pipelineRequired: false);
        var pastLimit = Errors($$"""{"input":[{{Nest(JsonLimits.MaxValueDepth)}}]}""");

        Assert.Equal(57, JsonLimits.DepthOf(atLimit!.Input));
        Assert.Equal([$"$.input[0]{string.Concat(Enumerable.Repeat(".a", 56))}: nests deeper than 57 levels, the limit for a run's input"], pastLimit);
    }

    [Fact]
    public void Parse_RunIdWithAnUnpairedSurrogate_RefusedNotThrown()
    {
        var errors = Errors("""{"runId":"\ud800x"}""");

        Assert.Equal(["$.runId: not valid UTF-16: \\ud800 is an unpaired surrogate"], errors);
    }

    [Fact]
    public void Parse_InputKeyWithAnUnpairedSurrogate_RefusedWithTheKeyAsWritten()
    {
        var errors = Errors("""{"input":{"ok":{"\ud800":1}}}""");

        Assert.Equal(["$.input.ok['\\ud800']: the key is not valid UTF-16: \\ud800 is an unpaired surrogate"], errors);
    }

    [Theory]
    [InlineData("""{"input":{"a":"x\udc00"}}""", "$.input.a: not valid UTF-16: \\udc00 is an unpaired surrogate")]
    [InlineData("""{"input":["\uD800\uD800"]}""", "$.input[0]: not valid UTF-16: \\uD800 is an unpaired surrogate")]
    [InlineData("""{"input":"ok\ud83d"}""", "$.input: not valid UTF-16: \\ud83d is an unpaired surrogate")]
    public void Parse_InputStringWithAnUnpairedSurrogate_RefusedWithItsPath(string body, string error)
    {
        Assert.Equal([error], Errors(body));
    }

    [Fact]
    public void Parse_PairedSurrogatesAndABom_Accepted()
    {
        var (request, errors) = StartRequest.Parse(Encoding.UTF8.GetBytes("\uFEFF" + """{"input":{"\ud83d\ude00":"\ud83d\ude00"},"runId":"r-1"}"""), pipelineRequired: false);

        Assert.Empty(errors);
        Assert.Equal("😀", request!.Input!["😀"]!.GetValue<string>());
        Assert.Equal("r-1", request.RunId);
    }

    [Fact]
    public void Parse_StringBytesThatAreNotUtf8_RefusedWithThePath()
    {
        var body = Encoding.UTF8.GetBytes("""{"input":{"a":"xx"}}""");
        body[Array.IndexOf(body, (byte)'x')] = 0xC3;

        var (request, errors) = StartRequest.Parse(body, pipelineRequired: false);

        Assert.Null(request);
        Assert.Equal(["$.input.a: not valid UTF-8"], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_TextWithARawUnpairedSurrogate_RefusedWithItsPosition()
    {
        var (request, errors) = StartRequest.Parse("{\"pipeline\":\"hello\",\"input\":\"a\ud800\"}", pipelineRequired: true);

        Assert.Null(request);
        Assert.Equal(["$: not valid UTF-16: an unpaired surrogate at character 30"], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_ManyProblems_ListsAHundredAndCountsTheRest()
    {
        var body = "{\"input\":{" + string.Join(",", Enumerable.Repeat("\"a\":1", 150)) + "}}";

        var errors = Errors(body);

        Assert.Equal(101, errors.Count);
        Assert.Equal("$: 49 more problems are not listed", errors[^1]);
    }

    [Fact]
    public void Parse_HugeKey_QuotedShortInThePath()
    {
        var key = new string('k', 5000);

        var errors = Errors($$$"""{"input":{"{{{key}}}":1,"{{{key}}}":2}}""");

        var error = Assert.Single(errors);
        Assert.Equal($"$.input.{new string('k', 60)}…: the key '{new string('k', 60)}…' appears more than once in this object", error);
    }

    [Fact]
    public void Parse_QueueMessageWithEveryProblem_ListsThemAll()
    {
        var (request, errors) = StartRequest.Parse("""{"pipline":"hello","input":{"a":1,"a":2},"runId":7}""", pipelineRequired: true);

        Assert.Null(request);
        Assert.Equal(
            [
                "$.pipline: unknown member 'pipline' (did you mean 'pipeline'?)",
                "$.input.a: the key 'a' appears more than once in this object",
                "$.runId: 'runId' must be a string",
                "$.pipeline: 'pipeline' is required",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_ValidStart_KeepsInputAndRunId()
    {
        var (request, errors) = StartRequest.Parse("""{"pipeline":"hello","input":{"items":[1,"two",null]},"runId":"r-9"}""", pipelineRequired: true);

        Assert.Empty(errors);
        Assert.Equal("hello", request!.Pipeline);
        Assert.Equal("r-9", request.RunId);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"items":[1,"two",null]}"""), request.Input));
    }

    private static string Nest(int levels) => string.Concat(Enumerable.Repeat("{\"a\":", levels - 1)) + "{}" + new string('}', levels - 1);

    private static List<string> Errors(string body)
    {
        var (request, errors) = StartRequest.Parse(Encoding.UTF8.GetBytes(body), pipelineRequired: false);
        Assert.Null(request);
        return [.. errors.Select(e => e.ToString())];
    }
}
