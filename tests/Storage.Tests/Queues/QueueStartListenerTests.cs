using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using DurablePipelines.Api;
using DurablePipelines.Records;
using DurablePipelines.Storage.Hosting;
using DurablePipelines.Storage.Queues;
using DurablePipelines.TestSupport.Azurite;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurablePipelines.Storage.Tests.Queues;

[Collection(AzuriteFixture.Collection)]
public sealed class QueueStartListenerTests(AzuriteFixture azurite)
{
    private const string Start = """{"pipeline":"orders","input":{"date":"2025-03-01"},"runId":"r-1"}""";

    private readonly StorageOptions _options = new()
    {
        StartQueue = AzuriteFixture.UniqueName("starts"),
        PoisonQueue = AzuriteFixture.UniqueName("poison"),
        PayloadsContainer = AzuriteFixture.UniqueName("payloads"),
        VisibilityTimeout = TimeSpan.FromSeconds(1),
        MinPollInterval = TimeSpan.FromMilliseconds(50),
        MaxPollInterval = TimeSpan.FromMilliseconds(200),
    };

    private readonly ConcurrentQueue<string> _seen = new();

    [Fact]
    public async Task PollOnceAsync_PlainJson_StartsWithTheTextAndDeletesTheMessage()
    {
        var listener = Listener(Accept);
        await SendAsync(Start);

        var handled = await listener.PollOnceAsync(default);

        Assert.Equal(1, handled);
        Assert.Equal([Start], _seen);
        Assert.Equal(0, await CountAsync(_options.StartQueue));
        Assert.Equal(0, await CountAsync(_options.PoisonQueue));
    }

    [Fact]
    public async Task PollOnceAsync_Base64Json_StartsWithTheDecodedText()
    {
        var listener = Listener(Accept);
        await SendAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(Start)));

        await listener.PollOnceAsync(default);

        Assert.Equal([Start], _seen);
        Assert.Equal(0, await CountAsync(_options.StartQueue));
    }

    [Fact]
    public async Task PollOnceAsync_BadMessage_GoesToPoisonQueueWithTheReasonAtOnce()
    {
        // What the host's delegate does with text that is not JSON.
        var listener = Listener((text, _) =>
        {
            try
            {
                JsonDocument.Parse(text).Dispose();
                return Task.FromResult(new QueueStartOutcome(QueueStartDisposition.Accepted, "r-1", null));
            }
            catch (JsonException e)
            {
                return Task.FromResult(new QueueStartOutcome(QueueStartDisposition.Poison, null, $"bad JSON: {e.Message}"));
            }
        });
        await SendAsync("this is { not json");

        await listener.PollOnceAsync(default);

        var poison = Assert.Single(await ReceivePoisonAsync());
        Assert.StartsWith("bad JSON: ", poison.Reason, StringComparison.Ordinal);
        Assert.Equal("this is { not json", poison.Message);
        Assert.Equal(1, poison.DequeueCount);
        Assert.True(poison.Time > DateTime.UtcNow.AddMinutes(-5));
        Assert.Equal(0, await CountAsync(_options.StartQueue));
    }

    [Fact]
    public async Task PollOnceAsync_PoisonOutcome_QuotesTheDecodedStartAndTheDelegatesReason()
    {
        var listener = Listener((_, _) => Task.FromResult(new QueueStartOutcome(QueueStartDisposition.Poison, null, "unknown pipeline 'orders'")));
        await SendAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(Start)));

        await listener.PollOnceAsync(default);

        var poison = Assert.Single(await ReceivePoisonAsync());
        Assert.Equal("unknown pipeline 'orders'", poison.Reason);
        Assert.Equal(Start, poison.Message);
        Assert.NotNull(poison.MessageId);
    }

    [Fact]
    public async Task PollOnceAsync_RetryEveryTime_PoisonedOnTheFifthDequeueWithTheLastReason()
    {
        var attempts = 0;
        var listener = Listener((_, _) => Task.FromResult(new QueueStartOutcome(QueueStartDisposition.Retry, null, $"scheduler busy ({Interlocked.Increment(ref attempts)})")));
        await SendAsync(Start);

        var poison = await PollUntilPoisonedAsync(listener);

        Assert.Equal(5, attempts);
        Assert.Equal("gave up after 5 attempts: scheduler busy (5)", poison.Reason);
        Assert.Equal(5, poison.DequeueCount);
        Assert.Equal(Start, poison.Message);
        Assert.Equal(0, await CountAsync(_options.StartQueue));
    }

    [Fact]
    public async Task PollOnceAsync_RetryThenAccepted_MessageComesBackAndIsDeleted()
    {
        var attempts = 0;
        var listener = Listener((_, _) => Task.FromResult(Interlocked.Increment(ref attempts) == 1
            ? new QueueStartOutcome(QueueStartDisposition.Retry, null, "storage busy")
            : new QueueStartOutcome(QueueStartDisposition.Accepted, "r-1", null)));
        await SendAsync(Start);

        await listener.PollOnceAsync(default);
        Assert.Equal(1, await CountAsync(_options.StartQueue));
        await PollUntilAsync(listener, () => attempts == 2);

        Assert.Equal(0, await CountAsync(_options.StartQueue));
        Assert.Equal(0, await CountAsync(_options.PoisonQueue));
    }

    [Fact]
    public async Task PollOnceAsync_DelegateThrows_TreatedAsRetryThenPoisonedWithTheException()
    {
        _options.MaxDequeueCount = 2;
        var attempts = 0;
        var listener = Listener((_, _) =>
        {
            Interlocked.Increment(ref attempts);
            throw new InvalidOperationException("scheduler down");
        });
        await SendAsync(Start);

        await listener.PollOnceAsync(default);
        Assert.Equal(1, await CountAsync(_options.StartQueue));
        var poison = await PollUntilPoisonedAsync(listener);

        Assert.Equal(2, attempts);
        Assert.Equal("gave up after 2 attempts: InvalidOperationException: scheduler down", poison.Reason);
    }

    [Fact]
    public async Task PollOnceAsync_MessageAlreadyPastMaxDequeueCount_PoisonedWithoutStarting()
    {
        _options.MaxDequeueCount = 2;
        var listener = Listener(Accept);
        await SendAsync(Start);
        var queue = azurite.Queues().GetQueueClient(_options.StartQueue);
        for (var i = 0; i < 2; i++)
        {
            // Received and abandoned, as by a listener that died before deciding; back once its visibility timeout passes.
            Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1))).Value);
            await WaitUntilVisibleAsync(queue);
        }

        await listener.PollOnceAsync(default);

        Assert.Empty(_seen);
        var poison = Assert.Single(await ReceivePoisonAsync());
        Assert.Equal("dequeued 3 times, more than 2, without a decision", poison.Reason);
        Assert.Equal(Start, poison.Message);
    }

    [Fact]
    public async Task PollOnceAsync_PoisonTooLargeToQuote_KeepsTheTextInABlob()
    {
        var listener = Listener((_, _) => Task.FromResult(new QueueStartOutcome(QueueStartDisposition.Poison, null, "input invalid")));
        var large = "[" + string.Join(',', Enumerable.Repeat("\"<a&b>\"", 7000)) + "]";
        await SendAsync(large);

        await listener.PollOnceAsync(default);

        var poison = Assert.Single(await ReceivePoisonAsync());
        Assert.Null(poison.Message);
        Assert.NotNull(poison.MessageBlob);
        var blobName = poison.MessageBlob![$"blob:{_options.PayloadsContainer}/".Length..];
        var stored = await azurite.Blobs().GetBlobContainerClient(_options.PayloadsContainer).GetBlobClient(blobName).DownloadContentAsync();
        Assert.Equal(large, stored.Value.Content.ToString());
    }

    [Fact]
    public async Task PollOnceAsync_PoisonReasonTooLargeToFit_CutShortAndPoisonedAtOnce()
    {
        var reason = string.Concat(Enumerable.Repeat("$.input.a: the key 'a' appears more than once in this object; ", 2000));
        var listener = Listener((_, _) => Task.FromResult(new QueueStartOutcome(QueueStartDisposition.Poison, null, reason)));
        await SendAsync(Start);

        await listener.PollOnceAsync(default);

        var poison = Assert.Single(await ReceivePoisonAsync());
        Assert.StartsWith("$.input.a: the key 'a' appears more than once", poison.Reason, StringComparison.Ordinal);
        Assert.EndsWith($"… ({reason.Length} characters)", poison.Reason, StringComparison.Ordinal);
        Assert.NotNull(poison.MessageBlob);
        Assert.Equal(0, await CountAsync(_options.StartQueue));
    }

    [Fact]
    public async Task RunAsync_MixedOutcomes_NothingIsDropped()
    {
        // 40 messages: a third accepted, a third poisoned, a third retried once then accepted.
        var retried = new ConcurrentDictionary<string, bool>();
        var accepted = new ConcurrentQueue<int>();
        var listener = Listener((text, _) =>
        {
            var n = JsonDocument.Parse(text).RootElement.GetProperty("n").GetInt32();
            var outcome = (n % 3) switch
            {
                0 => new QueueStartOutcome(QueueStartDisposition.Accepted, $"r-{n}", null),
                1 => new QueueStartOutcome(QueueStartDisposition.Poison, null, $"bad {n}"),
                _ => retried.TryAdd(text, true)
                    ? new QueueStartOutcome(QueueStartDisposition.Retry, null, "busy")
                    : new QueueStartOutcome(QueueStartDisposition.Accepted, $"r-{n}", null),
            };
            if (outcome.Disposition == QueueStartDisposition.Accepted)
            {
                accepted.Enqueue(n);
            }

            return Task.FromResult(outcome);
        });
        for (var n = 0; n < 40; n++)
        {
            await SendAsync(n % 2 == 0 ? $$"""{"n":{{n}}}""" : Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"n":{{n}}}""")));
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var running = listener.RunAsync(stop.Token);
        while (!stop.IsCancellationRequested && (accepted.Count < 27 || await CountAsync(_options.StartQueue) > 0))
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await running;

        var poisoned = await ReceivePoisonAsync();
        Assert.Equal(Enumerable.Range(0, 40).Where(n => n % 3 != 1), accepted.Order());
        Assert.Equal(
            Enumerable.Range(0, 40).Where(n => n % 3 == 1).Select(n => $"bad {n}").Order(StringComparer.Ordinal),
            poisoned.Select(p => p.Reason).Order(StringComparer.Ordinal));
        Assert.Equal(0, await CountAsync(_options.StartQueue));
    }

    private static Task<QueueStartOutcome> Accept(string text, CancellationToken cancellationToken) =>
        Task.FromResult(new QueueStartOutcome(QueueStartDisposition.Accepted, "r-1", null));

    private QueueStartListener Listener(Func<string, CancellationToken, Task<QueueStartOutcome>> start) =>
        new(azurite.Queues(), azurite.Blobs(), _options, async (text, ct) =>
        {
            _seen.Enqueue(text);
            return await start(text, ct);
        }, NullLogger<QueueStartListener>.Instance);

    private async Task SendAsync(string text)
    {
        var queue = azurite.Queues().GetQueueClient(_options.StartQueue);
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(text);
    }

    private async Task<int> CountAsync(string queueName)
    {
        var queue = azurite.Queues().GetQueueClient(queueName);
        return await queue.ExistsAsync() ? (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
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

    private async Task<PoisonMessage> PollUntilPoisonedAsync(QueueStartListener listener)
    {
        await PollUntilAsync(listener, () => false, stopWhenPoisoned: true);
        return Assert.Single(await ReceivePoisonAsync());
    }

    private async Task PollUntilAsync(QueueStartListener listener, Func<bool> done, bool stopWhenPoisoned = false)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await listener.PollOnceAsync(default);
            if (done() || (stopWhenPoisoned && await CountAsync(_options.PoisonQueue) > 0))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("the listener did not get there within 30 s");
    }

    /// <summary>Polls, without receiving it (a peek leaves the dequeue count alone), until the queue's message is visible again.</summary>
    private static async Task WaitUntilVisibleAsync(QueueClient queue)
    {
        var clock = Stopwatch.StartNew();
        while ((await queue.PeekMessagesAsync(1)).Value.Length == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the message did not come back within 30 s");
            await Task.Delay(50);
        }
    }
}
