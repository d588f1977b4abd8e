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
}
