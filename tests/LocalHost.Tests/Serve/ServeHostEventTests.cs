using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Records;
using DurablePipelines.Storage.Queues;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests.Serve;

/// <summary>Run events on <c>pipeline-events</c>, as another system would read them from dp serve.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ServeHostEventTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ServeApp _serve = null!;

    public async Task InitializeAsync() => _serve = await ServeApp.StartAsync(azurite);

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    [Fact]
    public async Task Run_PublishesStateChangedEventsAndOneFinishedEvent()
    {
        using var started = await _serve.StartAsync("hello", new JsonObject(), "events-1");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, started.StatusCode);
        await _serve.WaitForRunAsync("events-1");

        var events = await ReadEventsAsync("events-1", e => e.Type == PipelineEvent.FinishedType);

        var finished = Assert.Single(events, e => e.Type == PipelineEvent.FinishedType);
        Assert.Equal(RunStatus.Succeeded, finished.Status);
        Assert.Equal("hello", finished.Pipeline);
        var changes = events.Where(e => e.Type == PipelineEvent.StateChangedType).Select(e => e.Change!).ToList();
        Assert.Contains(changes, c => c.PipelineResult is null && c.Action == StateAction.Started);
        Assert.Contains(changes, c => c.PipelineResult is null && c.Action == StateAction.Succeeded);
        Assert.Contains(changes, c => c.Task is not null && c.TaskResult is null && c.Action == StateAction.Succeeded);
        Assert.DoesNotContain(changes, c => c.TaskResult is not null);
    }

    [Fact]
    public async Task PublishEventsOff_ARunSendsNoEventAndKeepsItsLog()
    {
        await using var quiet = await ServeApp.StartAsync(azurite, new Dictionary<string, string?> { ["Pipelines:Storage:PublishEvents"] = "false" });
        using var started = await quiet.StartAsync("hello", new JsonObject(), "events-off-1");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, started.StatusCode);
        await quiet.WaitForRunAsync("events-off-1");
        await quiet.WaitForOrchestrationCompletedAsync("events-off-1");

        Assert.False(await quiet.EventQueue.ExistsAsync() && (await quiet.EventQueue.PeekMessagesAsync(32)).Value.Length > 0);
        Assert.Contains(await quiet.GetLogAsync("events-off-1"), r => r.PipelineResult is null && r.Action == StateAction.Succeeded);
    }

    private async Task<List<PipelineEvent>> ReadEventsAsync(string runId, Func<PipelineEvent, bool> last)
    {
        var queue = _serve.EventQueue;
        var events = new List<PipelineEvent>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var batch = await queue.ReceiveMessagesAsync(32);
            foreach (var message in batch.Value)
            {
                var e = JsonSerializer.Deserialize<PipelineEvent>(message.Body.ToString(), PipelineJson.Options)!;
                if (e.RunId == runId)
                {
                    events.Add(e);
                }

                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }

            if (events.Any(last))
            {
                return events;
            }

            if (batch.Value.Length == 0)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"no Finished event for {runId}; saw {events.Count} events");
    }
}
