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
    public void PoisonMessage_MessageTooLongToQuote_CutShortToFitAndSaysSo()
    {
        // Characters JSON must escape six times over: quoted whole, 60,000 of them would pass 64 KiB many times.
        var message = new string('\u0001', 60_000);

        var poison = QueueStarts.PoisonMessage("$: not valid JSON", message);

        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(poison), 1, QueueStarts.MaxMessageBytes);
        var body = JsonNode.Parse(poison)!;
        Assert.Equal("$: not valid JSON", body["reason"]!.GetValue<string>());
        Assert.True(body["messageTruncated"]!.GetValue<bool>());
        Assert.Equal(60_000, body["messageLength"]!.GetValue<int>());
        Assert.StartsWith(body["message"]!.GetValue<string>(), message, StringComparison.Ordinal);
    }

    [Fact]
    public void PoisonMessage_MarkupAndNonAscii_QuotedAsTheyAre()
    {
        const string message = """{ "pipeline": "<b>ä</b> & €" }""";

        var poison = QueueStarts.PoisonMessage("unknown pipeline", message);

        Assert.Contains("<b>ä</b> & €", poison, StringComparison.Ordinal);
        Assert.Equal(message, JsonNode.Parse(poison)!["message"]!.GetValue<string>());
        Assert.Null(JsonNode.Parse(poison)!["messageTruncated"]);
    }

    [Fact]
    public void Settle_Retry_ThrowsSoTheRuntimeRetries()
    {
        var thrown = Assert.Throws<InvalidOperationException>(() =>
            QueueStarts.Settle(new QueueStartOutcome(QueueStartDisposition.Retry, null, "run store unavailable"), "{}", _logger));

        Assert.Contains("run store unavailable", thrown.Message, StringComparison.Ordinal);
    }
}
