using System.Text;
using System.Text.Json.Nodes;
using DurablePipelines.Records;
using DurablePipelines.Storage.Hosting;
using DurablePipelines.Storage.Queues;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.Storage.Tests.Queues;

[Collection(AzuriteFixture.Collection)]
public sealed class QueueEventPublisherTests(AzuriteFixture azurite)
{
    private static readonly DateTime s_t0 = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly StorageOptions _options = new() { EventQueue = AzuriteFixture.UniqueName("events") };

    [Fact]
    public async Task PublishStateChangedAsync_WritesAStateChangedEvent()
    {
        var publisher = new QueueEventPublisher(azurite.Queues(), _options);
        var change = new StateChange { RunId = "r-1", Time = s_t0, Task = "price", TaskResult = 3, Attempt = 1, Action = StateAction.Started, Status = RunStatus.Running };

        await publisher.PublishStateChangedAsync(change, default);

        var message = Assert.Single(await ReceiveAsync());
        Assert.Equal("StateChanged", message["type"]!.GetValue<string>());
        Assert.Equal("r-1", message["runId"]!.GetValue<string>());
        Assert.Equal(s_t0, message["time"]!.GetValue<DateTime>());
        Assert.Equal("Running", message["status"]!.GetValue<string>());
        Assert.Equal("price", message["change"]!["task"]!.GetValue<string>());
        Assert.False(message["truncated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task PublishFinishedAsync_WritesAFinishedEventWithTheOutcome()
    {
        var publisher = new QueueEventPublisher(azurite.Queues(), _options);
        var execution = new PipelineExecution
        {
            RunId = "r-1",
            Pipeline = "orders",
            Status = RunStatus.Failed,
            FinishedAt = s_t0,
            Error = new TaskError("Ttl", "the run did not finish within 06:00:00"),
        };

        await publisher.PublishFinishedAsync(execution, default);

        var message = Assert.Single(await ReceiveAsync());
        Assert.Equal("Finished", message["type"]!.GetValue<string>());
        Assert.Equal("orders", message["pipeline"]!.GetValue<string>());
        Assert.Equal("Failed", message["status"]!.GetValue<string>());
        Assert.Equal("the run did not finish within 06:00:00", message["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task PublishStateChangedAsync_ItemTooLargeForAMessage_SendsTheEventTruncated()
    {
        var publisher = new QueueEventPublisher(azurite.Queues(), _options);
        var change = new StateChange { RunId = "r-1", Time = s_t0, Action = StateAction.Started, Item = new string('x', 100_000) };

        await publisher.PublishStateChangedAsync(change, default);

        var message = Assert.Single(await ReceiveAsync());
        Assert.True(message["truncated"]!.GetValue<bool>());
        Assert.Null(message["change"]!["item"]);
        Assert.Equal("Started", message["change"]!["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task PublishAsync_Base64Messages_EncodesTheJson()
    {
        _options.Base64Messages = true;
        var publisher = new QueueEventPublisher(azurite.Queues(), _options);

        await publisher.PublishAsync(new PipelineEvent { Type = PipelineEvent.FinishedType, RunId = "r-1", Time = s_t0 }, default);

        var queue = azurite.Queues().GetQueueClient(_options.EventQueue);
        var raw = Assert.Single((await queue.ReceiveMessagesAsync(32)).Value).Body.ToString();
        var message = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(raw)))!;
        Assert.Equal("r-1", message["runId"]!.GetValue<string>());
    }

    private async Task<List<JsonNode>> ReceiveAsync()
    {
        var queue = azurite.Queues().GetQueueClient(_options.EventQueue);
        var messages = (await queue.ReceiveMessagesAsync(32)).Value;
        return [.. messages.Select(m => JsonNode.Parse(m.Body.ToString())!)];
    }
}
