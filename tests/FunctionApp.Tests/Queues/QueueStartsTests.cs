using System.Text.Json.Nodes;
using DurablePipelines.Api;
using DurablePipelines.FunctionApp.Queues;
using DurablePipelines.TestSupport.Logging;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.FunctionApp.Tests.Queues;

public class QueueStartsTests
{
    private readonly ListLogger _logger = new();

    [Fact]
    public void Settle_Accepted_DeletesTheMessage()
    {
        var poison = QueueStarts.Settle(new QueueStartOutcome(QueueStartDisposition.Accepted, "r1", null), """{ "pipeline": "orders" }""", _logger);

        Assert.Null(poison);
        Assert.Equal("r1", Assert.Single(_logger.Entries).Properties["RunId"]);
    }

    [Fact]
    public void Settle_Poison_WritesReasonAndOriginalMessageAtOnce()
    {
        const string message = """{ "pipeline": "nope" }""";

        var poison = QueueStarts.Settle(new QueueStartOutcome(QueueStartDisposition.Poison, null, "unknown pipeline 'nope'"), message, _logger);

        var body = JsonNode.Parse(poison!)!;
        Assert.Equal("unknown pipeline 'nope'", body["reason"]!.GetValue<string>());
        Assert.Equal(message, body["message"]!.GetValue<string>());
        Assert.Equal(LogLevel.Warning, Assert.Single(_logger.Entries).Level);
    }

    [Fact]
    public void Settle_Retry_ThrowsSoTheRuntimeRetries()
    {
        var thrown = Assert.Throws<InvalidOperationException>(() =>
            QueueStarts.Settle(new QueueStartOutcome(QueueStartDisposition.Retry, null, "run store unavailable"), "{}", _logger));

        Assert.Contains("run store unavailable", thrown.Message, StringComparison.Ordinal);
    }
}
