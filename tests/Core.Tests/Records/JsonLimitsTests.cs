using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Records;

public sealed class JsonLimitsTests
{
    [Fact]
    public void RecordMargin_OutputAtTheValueLimitInItsDeepestPlace_TheRecordIsWrittenAndRead()
    {
        var json = JsonSerializer.Serialize(RecordWithOutput(Nest(JsonLimits.MaxValueDepth)), PipelineJson.Options);

        var read = JsonSerializer.Deserialize<PipelineExecution>(json, PipelineJson.Options)!;

        Assert.Equal(JsonLimits.MaxValueDepth, JsonLimits.DepthOf(read.PipelineResults[0].TaskExecutions[0].TaskResults[0].Output));
    }

    [Fact]
    public void RecordMargin_OutputOneLevelPastTheValueLimit_TheRecordCannotBeWritten()
    {
        // The margin is exact: one level more and the stores' own serializer refuses the record.
        Assert.Throws<JsonException>(() => JsonSerializer.Serialize(RecordWithOutput(Nest(JsonLimits.MaxValueDepth + 1)), PipelineJson.Options));
    }

    [Fact]
    public void MaxDepth_IsWhatThePipelineJsonOptionsEnforce()
    {
        Assert.Equal(JsonLimits.MaxDepth, PipelineJson.Options.MaxDepth);
        Assert.Equal(JsonLimits.MaxDepth, PipelineJson.Indented.MaxDepth);
        Assert.Equal(JsonLimits.MaxDepth - JsonLimits.RecordMargin, JsonLimits.MaxValueDepth);
    }

    [Theory]
    [InlineData("null", 0)]
    [InlineData("\"text\"", 0)]
    [InlineData("{}", 1)]
    [InlineData("[]", 1)]
    [InlineData("""{"a":[1,{"b":[]}],"c":{}}""", 4)]
    public void DepthOf_Values_CountsNestedContainers(string json, int depth)
    {
        Assert.Equal(depth, JsonLimits.DepthOf(JsonNode.Parse(json)));
    }

    private static JsonNode Nest(int levels)
    {
        JsonNode node = new JsonObject();
        for (var i = 1; i < levels; i++)
        {
            node = new JsonObject { ["a"] = node };
        }

        return node;
    }

    private static PipelineExecution RecordWithOutput(JsonNode output) => new()
    {
        RunId = "r-1",
        Pipeline = "p",
        PipelineResults =
        [
            new PipelineResult
            {
                TaskExecutions = [new TaskExecution { Task = "t", TaskResults = [new TaskResult { Output = output }] }],
            },
        ],
    };
}
