using System.Text.Json.Nodes;
using DurablePipelines.FunctionApp.Queues;
using DurablePipelines.FunctionApp.Tests.TestDoubles;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurablePipelines.FunctionApp.Tests.Queues;

public sealed class PipelineQueueFunctionsTests : IDisposable
{
    private readonly PipelineApiHost _host = new();

    private PipelineQueueFunctions Sut() => new(_host.Apis, NullLogger<PipelineQueueFunctions>.Instance);

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task StartPipelineQueue_ValidMessage_StartsTheRunAndWritesNoPoison()
    {
        var poison = await Sut().StartPipelineQueue("""{ "pipeline": "orders", "input": {}, "runId": "orders-q1" }""", _host.Client.Object, WorkerObjects.Context());

        Assert.Null(poison);
        Assert.Equal("orders-q1", Assert.Single(_host.Scheduled));
    }

    [Fact]
    public async Task StartPipelineQueue_Base64Message_StartsTheRunLikePlainJson()
    {
        // What Azure Functions queue outputs and most SDKs send by default.
        var message = Convert.ToBase64String("""{ "pipeline": "orders", "input": {}, "runId": "orders-b64" }"""u8);

        var poison = await Sut().StartPipelineQueue(message, _host.Client.Object, WorkerObjects.Context());

        Assert.Null(poison);
        Assert.Equal("orders-b64", Assert.Single(_host.Scheduled));
    }

    [Fact]
    public async Task StartPipelineQueue_RedeliveredMessage_DoesNotStartASecondRun()
    {
        const string message = """{ "pipeline": "orders", "input": {}, "runId": "orders-q2" }""";
        await Sut().StartPipelineQueue(message, _host.Client.Object, WorkerObjects.Context());

        var poison = await Sut().StartPipelineQueue(message, _host.Client.Object, WorkerObjects.Context());

        Assert.Null(poison);
        Assert.Single(_host.Scheduled);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{ "pipeline": "nope", "input": {} }""")]
    public async Task StartPipelineQueue_MessageThatCanNeverSucceed_IsPoisonedAtOnceWithItsReason(string message)
    {
        var poison = await Sut().StartPipelineQueue(message, _host.Client.Object, WorkerObjects.Context());

        var body = JsonNode.Parse(poison!)!;
        Assert.False(string.IsNullOrWhiteSpace(body["reason"]!.GetValue<string>()));
        Assert.Equal(message, body["message"]!.GetValue<string>());
        Assert.Empty(_host.Scheduled);
    }

    [Theory]
    [InlineData("""{ "pipeline": "orders", "input": {}, "input": { "a": 1 } }""", "$.input: the key 'input' appears more than once in this object")]
    [InlineData("""{ "pipeline": "orders", "runId": "\ud800x" }""", "$.runId: not valid UTF-16: \\ud800 is an unpaired surrogate")]
    [InlineData("""{ "pipeline": "orders", "input": { "\ud800": 1 } }""", "$.input['\\ud800']: the key is not valid UTF-16: \\ud800 is an unpaired surrogate")]
    public async Task StartPipelineQueue_PayloadsThatThrewBefore_PoisonedAtOnceWithTheExactReason(string message, string reason)
    {
        var poison = await Sut().StartPipelineQueue(message, _host.Client.Object, WorkerObjects.Context());

        var body = JsonNode.Parse(poison!)!;
        Assert.Equal(reason, body["reason"]!.GetValue<string>());
        Assert.Equal(message, body["message"]!.GetValue<string>());
        Assert.Empty(_host.Scheduled);
    }

    [Fact]
    public async Task StartPipelineQueue_Input63LevelsDeep_PoisonedAtOnceNotRetried()
    {
        var input = string.Concat(Enumerable.Repeat("{\"a\":", 62)) + "{}" + new string('}', 62);

        var poison = await Sut().StartPipelineQueue($$"""{ "pipeline": "orders", "input": {{input}} }""", _host.Client.Object, WorkerObjects.Context());

        Assert.Equal(
            $"$.input{string.Concat(Enumerable.Repeat(".a", 57))}: nests deeper than 57 levels, the limit for a run's input",
            JsonNode.Parse(poison!)!["reason"]!.GetValue<string>());
        Assert.Empty(_host.Scheduled);
    }
}
