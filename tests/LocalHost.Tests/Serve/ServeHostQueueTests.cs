using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using DurablePipelines.Records;
using DurablePipelines.Storage.Queues;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests.Serve;

/// <summary>Starts through <c>pipeline-starts</c> on the real host over Azurite: plain, base64, poison, duplicates.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ServeHostQueueTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ServeApp _serve = null!;

    public async Task InitializeAsync()
    {
        _serve = await ServeApp.StartAsync(azurite);
        await _serve.StartQueue.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    [Fact]
    public async Task QueueStart_PlainJson_RunStartsWithTheGivenIdAndSucceeds()
    {
        await _serve.StartQueue.SendMessageAsync("""{ "pipeline": "hello", "input": { "via": "plain" }, "runId": "q-plain" }""");

        var run = await _serve.WaitForRunAsync("q-plain");

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("plain", run.Input!["via"]!.GetValue<string>());
        await WaitUntilEmptyAsync(_serve.StartQueue);
        Assert.Empty(await PoisonAsync(0));
    }

    [Fact]
    public async Task QueueStart_Base64Json_RunStartsWithTheGivenIdAndSucceeds()
    {
        var json = """{ "pipeline": "fan", "input": { "items": ["ä", "b"] }, "runId": "q-base64" }""";
        await _serve.StartQueue.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)));

        var run = await _serve.WaitForRunAsync("q-base64");

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(["ä", "b"], run.PipelineResults[0].TaskExecutions[0].TaskResults.Select(r => r.Item!.GetValue<string>()));
        await WaitUntilEmptyAsync(_serve.StartQueue);
        Assert.Empty(await PoisonAsync(0));
    }

    [Fact]
    public async Task QueueStart_MessagesThatCanNeverSucceed_PoisonedAtOnceWithTheirReason()
    {
        var badBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("{ not json either"));
        var expected = new Dictionary<string, string>
        {
            ["this is { not json"] = "$: not valid JSON: ",
            [badBase64] = "$: not valid JSON: ",
            ["""{ "pipeline": "helo" }"""] = "unknown pipeline 'helo' (did you mean 'hello'?)",
            ["""{ "input": {} }"""] = "$.pipeline: 'pipeline' is required",
            ["""{ "pipeline": "fan", "input": { "items": "x" } }"""] = "$.input: iterator of task 'each': iterator 'input.items' must give an array, not string",
            ["""{ "pipeline": "hello", "runId": "bad id!", "extra": 1 }"""] = "$.extra: unknown member 'extra'",
            ["""{ "pipeline": "hello", "runId": "bad id!" }"""] = "$.runId: 'bad id!' is not a valid run id (letters, digits, '-', '_' and '.', starting with a letter or digit, at most 100)",

            // What a hostile client found: each of these was retried five times before it was poisoned.
            ["""{ "pipeline": "hello", "input": {}, "input": { "a": 1 } }"""] = "$.input: the key 'input' appears more than once in this object",
            ["""{ "pipeline": "hello", "input": """ + Nest(63) + " }"] = $"$.input{string.Concat(Enumerable.Repeat(".a", 57))}: nests deeper than 57 levels, the limit for a run's input",
            ["""{ "pipeline": "hello", "runId": "\ud800x" }"""] = "$.runId: not valid UTF-16: \\ud800 is an unpaired surrogate",
            ["""{ "pipeline": "hello", "input": { "\ud800": 1 } }"""] = "$.input['\\ud800']: the key is not valid UTF-16: \\ud800 is an unpaired surrogate",
        };
        foreach (var text in expected.Keys)
        {
            await _serve.StartQueue.SendMessageAsync(text);
        }

        var poison = await PoisonAsync(expected.Count);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), poison.Select(p => p.Message!).Order(StringComparer.Ordinal));
        foreach (var message in poison)
        {
            Assert.StartsWith(expected[message.Message!], message.Reason, StringComparison.Ordinal);
            Assert.Equal(1, message.DequeueCount);
        }

        await WaitUntilEmptyAsync(_serve.StartQueue);
        using var runs = await _serve.Http.GetAsync("api/runs");
        Assert.Empty((await ProblemAssert.OkAsync(runs))["runs"]!.AsArray());
    }

    [Fact]
    public async Task QueueStart_MixedBurst_NothingDropped()
    {
        var good = Enumerable.Range(0, 12).Select(i => $"q-mix-{i}").ToList();
        var bad = new[] { "nope", "{}", """{ "pipeline": "nothing" }""", """{ "pipeline": "fan" }""", "[]", """{ "pipeline": 7 }""" };
        var messages = good.Select(id => new JsonObject { ["pipeline"] = "hello", ["runId"] = id }.ToJsonString())
            .Concat(bad)
            .Select((text, i) => i % 2 == 0 ? text : Convert.ToBase64String(Encoding.UTF8.GetBytes(text)))
            .ToList();
        await Task.WhenAll(messages.Select(m => _serve.StartQueue.SendMessageAsync(m)));

        var poison = await PoisonAsync(bad.Length);
        await WaitUntilEmptyAsync(_serve.StartQueue);

        Assert.Equal(bad.Order(StringComparer.Ordinal), poison.Select(p => p.Message!).Order(StringComparer.Ordinal));
        foreach (var id in good)
        {
            Assert.Equal(RunStatus.Succeeded, (await _serve.WaitForRunAsync(id)).Status);
        }

        Assert.Equal(messages.Count, good.Count + poison.Count);
    }

    [Fact]
    public async Task QueueStart_RedeliveredWhileTheRunIsActive_StartsNoSecondRun()
    {
        const string message = """{ "pipeline": "long", "runId": "q-dup" }""";
        await _serve.StartQueue.SendMessageAsync(message);
        var first = await _serve.WaitForRunAsync("q-dup", r => r.Status == RunStatus.Running);

        await _serve.StartQueue.SendMessageAsync(message);
        await _serve.StartQueue.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(message)));
        await WaitUntilEmptyAsync(_serve.StartQueue);

        var again = await _serve.GetRunAsync("q-dup");
        Assert.Equal(first.CreatedAt, again!.CreatedAt);
        Assert.Equal(RunStatus.Running, again.Status);
        Assert.Empty(await PoisonAsync(0));
        using var cancel = await _serve.Http.PostAsync("api/runs/q-dup/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await _serve.WaitUntilTheEngineHasTheCancelAsync("q-dup");
        _serve.Held.Release();
        Assert.Equal(RunStatus.Terminated, (await _serve.WaitForRunAsync("q-dup")).Status);

        // The engine writes the log when the run ends: one run, started once, its one result started once.
        var log = await _serve.GetLogAsync("q-dup");
        Assert.Single(log, r => r.PipelineResult is null && r.Action == StateAction.Started);
        Assert.Single(log, r => r.Task == "wait" && r.TaskResult == 0 && r.Action == StateAction.Started);
    }

    private static string Nest(int levels) => string.Concat(Enumerable.Repeat("{\"a\":", levels - 1)) + "{}" + new string('}', levels - 1);

    /// <summary>Waits until the poison queue holds <paramref name="count"/> messages (0: checks it is empty), and reads them.</summary>
    private async Task<List<PoisonMessage>> PoisonAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var exists = (await _serve.PoisonQueue.ExistsAsync()).Value;
            var peeked = exists ? (await _serve.PoisonQueue.PeekMessagesAsync(32)).Value : [];
            if (peeked.Length >= count || DateTime.UtcNow > deadline)
            {
                var poison = peeked.Select(m => JsonSerializer.Deserialize<PoisonMessage>(m.Body.ToString(), PipelineJson.Options)!).ToList();
                Assert.True(poison.Count == count, $"expected {count} poison messages, found: {string.Join(" | ", poison.Select(p => $"{p.Message} -> {p.Reason}"))}");
                return poison;
            }

            await Task.Delay(100);
        }
    }

    private static async Task WaitUntilEmptyAsync(QueueClient queue)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"queue '{queue.Name}' still holds messages");
            await Task.Delay(100);
        }
    }
}
