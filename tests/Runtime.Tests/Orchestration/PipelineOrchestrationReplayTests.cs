using System.Text.Json.Nodes;
using DurablePipelines.Activities;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Orchestration;

public sealed class PipelineOrchestrationReplayTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddDurablePipelines().BuildServiceProvider();

    private static RunPipelineInput Input() => new()
    {
        RunId = "run-1",
        CreatedAt = new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc),
        Settings = new OrchestrationSettings { ChunkSize = 4, InlinePayloadLimit = 2048 },
        Input = new JsonObject
        {
            ["regions"] = new JsonArray("eu", "us"),
            ["orders"] = new JsonArray([.. Enumerable.Range(0, 10).Select(i => (JsonNode)i)]),
        },
        Definition = new PipelineBuilder("replay")
            .ForEach("input.regions")
            .Task("extract", "echo")
            .Task("price", "fail", t => t.After("extract").ForEach("input.orders").MaxConcurrency(3)
                .Config(new JsonObject { ["items"] = new JsonArray(7) }).Retry(2, TimeSpan.FromSeconds(1), 2))
            .Task("audit", "echo", t => t.After("extract"))
            .Task("load", "echo", t => t.After("price", "audit"))
            .Build(),
    };

    private object? Execute(ScriptedHistory.PendingActivity call) =>
        _services.GetRequiredService<PipelineActivities>().InvokeAsync(call.Name, call.Input, CancellationToken.None).GetAwaiter().GetResult();

    private static Func<IReadOnlyList<ScriptedHistory.PendingActivity>, int> Shuffled(int seed)
    {
        var random = new Random(seed);
        return pending => random.Next(pending.Count);
    }

    [Fact]
    public void RunPipelineAsync_ReplayedOverRecordedResults_MakesTheSameCallsInTheSameOrder()
    {
        var first = new ScriptedHistory();
        var original = first.Drive(c => PipelineOrchestration.RunPipelineAsync(c, Input()), Shuffled(42), Execute);

        var replay = new ScriptedHistory { Replaying = true };
        var order = new Queue<string>(first.CompletionOrder);
        var replayed = replay.Drive(
            c => PipelineOrchestration.RunPipelineAsync(c, Input()),
            pending =>
            {
                var key = order.Dequeue();
                var index = pending.ToList().FindIndex(p => p.Input.Key == key);
                Assert.True(index >= 0, $"the replay did not schedule '{key}' when the history completed it");
                return index;
            },
            call => first.Results[call.Input.Key]);

        Assert.Equal(first.Calls, replay.Calls);
        Assert.Empty(replay.Changes);
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(original, PipelineJson.Options),
            System.Text.Json.JsonSerializer.Serialize(replayed, PipelineJson.Options));
    }

    [Fact]
    public void RunPipelineAsync_AnyCompletionOrder_MakesTheSameSetOfCallsAndTheSameOutcome()
    {
        var a = new ScriptedHistory();
        var b = new ScriptedHistory();

        var runA = a.Drive(c => PipelineOrchestration.RunPipelineAsync(c, Input()), Shuffled(1), Execute);
        var runB = b.Drive(c => PipelineOrchestration.RunPipelineAsync(c, Input()), Shuffled(2), Execute);

        Assert.NotEqual(a.CompletionOrder, b.CompletionOrder);
        // Timers fire at "now + wait", and now depends on the order; everything else must match exactly.
        static IEnumerable<string> Normalized(List<string> calls) =>
            calls.Select(c => c.StartsWith("timer ", StringComparison.Ordinal) ? "timer" : c).Order(StringComparer.Ordinal);
        Assert.Equal(Normalized(a.Calls), Normalized(b.Calls));
        Assert.Equal(runA.Status, runB.Status);
        Assert.Equal(
            runA.PipelineResults.SelectMany(r => r.TaskExecutions).Select(t => (t.Task, t.Status)),
            runB.PipelineResults.SelectMany(r => r.TaskExecutions).Select(t => (t.Task, t.Status)));
    }

    [Fact]
    public void RunPipelineAsync_ScriptedRun_UsesStableKeysAndRetriesThroughTimers()
    {
        var history = new ScriptedHistory();
        var run = history.Drive(c => PipelineOrchestration.RunPipelineAsync(c, Input()), Shuffled(7), Execute);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("sub-orchestration RunPipelineItem run-1:p0", history.Calls);
        Assert.Contains("sub-orchestration RunTaskChunk run-1:p1:price:c0", history.Calls);
        Assert.Contains("activity RunTaskResult run-1/0/price/7/1", history.Calls);
        Assert.Contains("activity RunTaskResult run-1/0/price/7/2", history.Calls);
        Assert.Contains(history.Calls, c => c.StartsWith("timer ", StringComparison.Ordinal));
        Assert.DoesNotContain(history.Calls, c => c.Contains("/load/", StringComparison.Ordinal));
        Assert.All(run.PipelineResults, r => Assert.Equal(RunStatus.Cancelled, r.TaskExecutions.Single(t => t.Task == "load").Status));
    }

    // "boom" fails first, while chunks c0 and c1 of "each" run: failFast sends both a stop, and c2 never starts.
    [Fact]
    public void RunPipelineAsync_FailFastWhileChunksRun_SendsThemAStopAndReplaysTheSameCalls()
    {
        var definition = new PipelineBuilder("fail-fast-chunks")
            .FailFast()
            .Task("boom", "fail", t => t.After())
            .Task("each", "echo", t => t.After().ForEach("input.orders").MaxConcurrency(4))
            .Build();

        var history = AssertReplaysTheSameCalls(ChunkedInput(definition), "run-1/0/boom/0/1");

        Assert.Equal(
            ["event Stop run-1:p0:each:c0", "event Stop run-1:p0:each:c1"],
            history.Calls.Where(c => c.StartsWith("event ", StringComparison.Ordinal)));
        Assert.DoesNotContain("sub-orchestration RunTaskChunk run-1:p0:each:c2", history.Calls);
    }

    // Result 1 of "each" fails in chunk c0 while c1 and c2 run: once c0 returns, they are sent a stop; "other",
    // chunked too but in an independent branch, is not.
    [Fact]
    public void RunPipelineAsync_FailedResultWhileOtherChunksOfTheTaskRun_SendsThemAStopAndReplaysTheSameCalls()
    {
        var definition = new PipelineBuilder("chunks-fail")
            .Task("each", "fail", t => t.After().ForEach("input.orders").MaxConcurrency(6).Config(new JsonObject { ["items"] = new JsonArray(1) }))
            .Task("other", "echo", t => t.After().ForEach("input.orders").MaxConcurrency(6))
            .Build();

        var history = AssertReplaysTheSameCalls(ChunkedInput(definition), "run-1/0/each/1/1", "run-1/0/each/0/1");

        Assert.Equal(
            ["event Stop run-1:p0:each:c1", "event Stop run-1:p0:each:c2"],
            history.Calls.Where(c => c.StartsWith("event ", StringComparison.Ordinal)));
        Assert.DoesNotContain("sub-orchestration RunTaskChunk run-1:p0:each:c3", history.Calls);
        Assert.Contains("sub-orchestration RunTaskChunk run-1:p0:other:c4", history.Calls);
    }

    private static RunPipelineInput ChunkedInput(PipelineDefinition definition) => new()
    {
        RunId = "run-1",
        CreatedAt = new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc),
        Settings = new OrchestrationSettings { ChunkSize = 2 },
        Input = new JsonObject { ["orders"] = new JsonArray([.. Enumerable.Range(0, 10).Select(i => (JsonNode)i)]) },
        Definition = definition,
    };

    /// <summary>
    /// Runs <paramref name="input"/> completing the activities with the keys <paramref name="first"/> first, in
    /// that order, then the others in the order they were called; replays it; requires the same calls.
    /// </summary>
    private ScriptedHistory AssertReplaysTheSameCalls(RunPipelineInput input, params string[] first)
    {
        var preferred = new Queue<string>(first);
        var history = new ScriptedHistory();
        var original = history.Drive(
            c => PipelineOrchestration.RunPipelineAsync(c, input),
            pending =>
            {
                var index = preferred.TryPeek(out var key) ? pending.ToList().FindIndex(p => p.Input.Key == key) : -1;
                if (index < 0)
                {
                    return 0;
                }

                preferred.Dequeue();
                return index;
            },
            Execute);

        var replay = new ScriptedHistory { Replaying = true };
        var order = new Queue<string>(history.CompletionOrder);
        var replayed = replay.Drive(
            c => PipelineOrchestration.RunPipelineAsync(c, input),
            pending =>
            {
                var key = order.Dequeue();
                return pending.ToList().FindIndex(p => p.Input.Key == key);
            },
            call => history.Results[call.Input.Key]);

        Assert.Equal(history.Calls, replay.Calls);
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(original, PipelineJson.Options),
            System.Text.Json.JsonSerializer.Serialize(replayed, PipelineJson.Options));
        return history;
    }

    public void Dispose() => _services.Dispose();
}
