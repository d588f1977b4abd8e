using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using CsCheck;
using DurablePipelines.Api;
using DurablePipelines.Records;
using DurablePipelines.Storage.Hosting;
using DurablePipelines.Storage.Queues;
using DurablePipelines.Storage.Records;
using DurablePipelines.Tests.Api;
using DurablePipelines.TestSupport.Azurite;
using DurablePipelines.TestSupport.Fuzz;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurablePipelines.Storage.Tests.Queues;

/// <summary>
/// Two hundred hostile <c>pipeline-starts</c> messages, generated from a fixed seed, through the real listener and
/// the real API over Azurite (runs claimed in blob storage): each is handled once, and either starts a run, finds
/// its run active, or is poisoned at once with a reason; none is lost and none is retried.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class QueueStartListenerFuzzTests(AzuriteFixture azurite)
{
    private const string Seed = "0000001diBz7";
    private const int Count = 200;

    private readonly StorageOptions _options = new()
    {
        StartQueue = AzuriteFixture.UniqueName("starts"),
        PoisonQueue = AzuriteFixture.UniqueName("poison"),
        PayloadsContainer = AzuriteFixture.UniqueName("payloads"),
        VisibilityTimeout = TimeSpan.FromSeconds(30),
        MinPollInterval = TimeSpan.FromMilliseconds(20),
        MaxPollInterval = TimeSpan.FromMilliseconds(100),
    };

    [Fact]
    public async Task RunAsync_HostileMessages_EachStartsFindsItsRunOrIsPoisonedAtOnceAndNoneIsLost()
    {
        using var harness = new ApiHarness(new BlobRunStore(azurite.NewContainer("runs")));
        var outcomes = new ConcurrentQueue<QueueStartOutcome>();
        var listener = new QueueStartListener(azurite.Queues(), azurite.Blobs(), _options, async (text, ct) =>
        {
            var outcome = await harness.Api.StartFromQueueAsync(text, ct);
            outcomes.Enqueue(outcome);
            return outcome;
        }, NullLogger<QueueStartListener>.Instance);
        var starts = azurite.Queues().GetQueueClient(_options.StartQueue);
        await starts.CreateIfNotExistsAsync();

        // Queue messages are XML text of at most 64 KiB: producers send anything else as base64 of its UTF-8.
        var messages = Gen.Frequency(
            (6, HostileJson.Start(withPipeline: true)),
            (3, HostileJson.CleanStart(withPipeline: true)),
            (1, Gen.String[Gen.Char, 0, 40]))
            .Where(m => m.Length < 40_000 && !HasUnpairedSurrogate(m));
        var sent = 0;
        await FixedSample.RunAsync(messages, Seed, Count, async message =>
        {
            var base64 = sent++ % 2 == 1 || !IsXmlText(message);
            await starts.SendMessageAsync(base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(message)) : message);
        });

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var running = listener.RunAsync(stop.Token);
        while (!stop.IsCancellationRequested && outcomes.Count < Count)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await running;

        var poisoned = await ReceivePoisonAsync();
        var started = outcomes.Count(o => o is { Disposition: QueueStartDisposition.Accepted, Reason: null });
        var active = outcomes.Count(o => o is { Disposition: QueueStartDisposition.Accepted, Reason: not null });
        Assert.Equal(Count, outcomes.Count);
        Assert.DoesNotContain(outcomes, o => o.Disposition == QueueStartDisposition.Retry);
        Assert.Equal(started, harness.Scheduler.Scheduled.Count);
        Assert.Equal(Count, started + active + poisoned.Count);
        Assert.All(poisoned, p =>
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Reason));
            Assert.Equal(1, p.DequeueCount);
        });
        Assert.Empty((await starts.PeekMessagesAsync(32)).Value);
        Assert.All(new[] { started, poisoned.Count }, n => Assert.True(n > 20, $"started {started}, active {active}, poisoned {poisoned.Count}"));
    }

    private static bool IsXmlText(string text) =>
        !text.Any(c => c is < ' ' and not ('\t' or '\n' or '\r') or '\uFFFE' or '\uFFFF');

    private static bool HasUnpairedSurrogate(string text)
    {
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(text);
            return false;
        }
        catch (EncoderFallbackException)
        {
            return true;
        }
    }

    private async Task<List<PoisonMessage>> ReceivePoisonAsync()
    {
        var queue = azurite.Queues().GetQueueClient(_options.PoisonQueue);
        var all = new List<PoisonMessage>();
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value;
            if (batch.Length == 0)
            {
                return all;
            }

            all.AddRange(batch.Select(m => JsonSerializer.Deserialize<PoisonMessage>(m.Body.ToString(), PipelineJson.Options)!));
        }
    }
}
