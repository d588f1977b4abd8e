using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using DurablePipelines.Activities;
using DurablePipelines.Definitions;
using DurablePipelines.Handlers;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Payloads;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Activities;

public sealed class TaskResultExecutorTests
{
    /// <summary>An in-memory store that counts loads per reference; its references are immutable unless told not to be.</summary>
    private sealed class CountingPayloadStore(bool immutable = true) : IPayloadStore
    {
        private readonly InMemoryPayloadStore _inner = new();

        public ConcurrentDictionary<string, int> Loads { get; } = new();

        public bool IsImmutable(string reference) => immutable && _inner.IsImmutable(reference);

        public Task<string> StoreAsync(string runId, string name, JsonNode? value, CancellationToken cancellationToken) =>
            _inner.StoreAsync(runId, name, value, cancellationToken);

        public Task<JsonNode?> LoadAsync(string reference, CancellationToken cancellationToken)
        {
            Loads.AddOrUpdate(reference, 1, (_, n) => n + 1);
            return _inner.LoadAsync(reference, cancellationToken);
        }
    }

    /// <summary>Counts the input's items and then spoils its own copy, which no other result may see.</summary>
    private sealed class MutatingTask : IPipelineTask
    {
        public Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
        {
            var items = context.Input!["items"]!.AsArray();
            var count = items.Count;
            items.Clear();
            return Task.FromResult<JsonNode?>(count);
        }
    }

    /// <summary>Answers the count of the input's items, and whether it was given its own copy of a shared input.</summary>
    private sealed class ReadingTask : IPipelineTask
    {
        public Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
        {
            var first = context.Input;
            var count = first!["items"]!.AsArray().Count;
            first["items"]!.AsArray().Clear();
            return Task.FromResult<JsonNode?>(new JsonObject { ["count"] = count, ["sameOnEveryRead"] = ReferenceEquals(first, context.Input), ["seenInTaskInput"] = context.ToTaskInput()["input"]!["items"]!.AsArray().Count });
        }
    }

    /// <summary>Answers its item, never reading the input.</summary>
    private sealed class ItemTask : IPipelineTask
    {
        public Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) =>
            Task.FromResult(context.TaskItem?.DeepClone());
    }

    /// <summary>Answers a value nested as deep as its config's <c>levels</c>.</summary>
    private sealed class DeepTask : IPipelineTask
    {
        public Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
        {
            JsonNode node = new JsonArray();
            for (var i = 1; i < context.Config!["levels"]!.GetValue<int>(); i++)
            {
                node = new JsonArray(node);
            }

            return Task.FromResult<JsonNode?>(node);
        }
    }

    [Theory]
    [InlineData(57, RunStatus.Succeeded)]
    [InlineData(58, RunStatus.Failed)]
    public async Task RunAsync_OutputAtAndPastTheValueDepthLimit_KeptOrTheAttemptFailsWithTheReason(int levels, RunStatus status)
    {
        var services = new ServiceCollection().AddLogging().AddDurablePipelines();
        services.AddPipelineTask<DeepTask>("deep");
        using var sp = services.BuildServiceProvider();
        var run = new RunPipelineInput
        {
            RunId = "deep-1",
            Definition = new PipelineBuilder("deep").Task("nest", "deep", t => t.Config(new JsonObject { ["levels"] = levels })).Build(),
        };

        var execution = await sp.GetRequiredService<PipelineRunnerRegistry>().Get("eager").RunAsync(run, NullReporter.Instance, CancellationToken.None);

        Assert.Equal(status, execution.Status);
        var result = execution.PipelineResults[0].TaskExecutions[0].TaskResults[0];
        if (status == RunStatus.Failed)
        {
            Assert.Equal("the output nests deeper than 57 levels, the limit for a task's output (58 levels)", result.Error!.Message);
        }
        else
        {
            Assert.Equal(levels, JsonLimits.DepthOf(result.Output));
        }
    }

    [Fact]
    public async Task RunAsync_IteratorOverAStoredInput_LoadsTheSharedContextOnceAndGivesEachResultItsOwnCopy()
    {
        var store = new CountingPayloadStore();
        using var sp = Services(store);
        var definition = new PipelineBuilder("shared").Task("each", "mutate", t => t.ForEach("input.items").MaxConcurrency(4)).Build();
        var items = new JsonArray([.. Enumerable.Range(0, 200).Select(i => (JsonNode)$"item-{i:D4}")]);
        var run = new RunPipelineInput
        {
            RunId = "shared-1",
            Definition = definition,
            Input = new JsonObject { ["items"] = items },
            Settings = new OrchestrationSettings { InlinePayloadLimit = 1024 },
        };

        var execution = await sp.GetRequiredService<PipelineRunnerRegistry>().Get("parallel").RunAsync(run, NullReporter.Instance, CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, execution.Status);
        Assert.All(execution.PipelineResults[0].TaskExecutions[0].TaskResults, r => Assert.Equal(200, r.Output!.GetValue<int>()));
        // The input is over the limit: it is stored once for the run and the task's context references it. The
        // iterator loads it once, and the 200 results share one load of their context instead of one each.
        var input = Assert.Single(store.Loads);
        Assert.Matches("/input#[0-9]+$", input.Key);
        Assert.Equal(2, input.Value);
    }

    /// <summary>
    /// On the engine every result's request is deserialized anew, so its context is a new node each time: a context
    /// that went by reference is then known by its reference, when the store says the reference always loads the same
    /// value; otherwise each result loads it. Each handler that reads the input gets its own copy, the same on every
    /// read, its changes seen by its own task input and by no other result.
    /// </summary>
    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 20)]
    public async Task RunAsync_RequestsDeserializedAnew_ContextLoadedOncePerReferenceWhenTheStoreSaysItNeverChanges(bool immutable, int loads)
    {
        var store = new CountingPayloadStore(immutable);
        using var sp = Services(store);
        var executor = sp.GetRequiredService<TaskResultExecutor>();
        var items = new JsonArray([.. Enumerable.Range(0, 50).Select(i => (JsonNode)i)]);
        var reference = await store.StoreAsync("engine-1", "0/each/context", new JsonObject { ["input"] = new JsonObject { ["items"] = items }, ["item"] = null, ["parents"] = new JsonObject() }, default);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => executor.RunAsync(Request("engine-1", "read", i, PayloadReference.Create(reference)), CancellationToken.None)));

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.Message));
        Assert.All(outcomes, o => Assert.Equal("""{"count":50,"sameOnEveryRead":true,"seenInTaskInput":0}""", o.Output!.ToJsonString()));
        Assert.Equal(loads, store.Loads[reference]);
    }

    /// <summary>A payload stored again under its name has a new reference, and the results that carry it load it.</summary>
    [Fact]
    public async Task RunAsync_NameStoredAgain_ResultsWithTheNewReferenceGetTheNewValue()
    {
        var store = new CountingPayloadStore();
        using var sp = Services(store);
        var executor = sp.GetRequiredService<TaskResultExecutor>();
        JsonObject Context(int count) => new() { ["input"] = new JsonObject { ["items"] = new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)i)]) } };

        var first = await store.StoreAsync("again-1", "0/each/context", Context(3), default);
        var before = await executor.RunAsync(Request("again-1", "read", 0, PayloadReference.Create(first)), CancellationToken.None);
        var second = await store.StoreAsync("again-1", "0/each/context", Context(5), default);
        var after = await executor.RunAsync(Request("again-1", "read", 0, PayloadReference.Create(second)), CancellationToken.None);

        Assert.Equal(3, before.Output!["count"]!.GetValue<int>());
        Assert.Equal(5, after.Output!["count"]!.GetValue<int>());
    }

    /// <summary>A handler that never reads the shared input is given no copy of it, and the shared context is left as it was.</summary>
    [Fact]
    public async Task RunAsync_HandlerNeverReadsTheInput_SharedContextUntouched()
    {
        var store = new CountingPayloadStore();
        using var sp = Services(store);
        var executor = sp.GetRequiredService<TaskResultExecutor>();
        var context = new JsonObject { ["input"] = new JsonObject { ["items"] = new JsonArray(1, 2, 3) } };

        var item = await executor.RunAsync(Request("inline-1", "item", 7, context) with { TaskItem = "seven" }, CancellationToken.None);
        var read = await executor.RunAsync(Request("inline-1", "read", 8, context), CancellationToken.None);
        var readAgain = await executor.RunAsync(Request("inline-1", "read", 9, context), CancellationToken.None);

        Assert.Equal("seven", item.Output!.GetValue<string>());
        Assert.Equal(3, read.Output!["count"]!.GetValue<int>());
        Assert.Equal(3, readAgain.Output!["count"]!.GetValue<int>());
        Assert.Equal("""{"input":{"items":[1,2,3]}}""", context.ToJsonString());
    }

    /// <summary>The pipeline services over <paramref name="store"/>, with this class's handlers.</summary>
    private static ServiceProvider Services(IPayloadStore store)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(store).AddDurablePipelines();
        services.AddPipelineTask<MutatingTask>("mutate");
        services.AddPipelineTask<ReadingTask>("read");
        services.AddPipelineTask<ItemTask>("item");
        return services.BuildServiceProvider();
    }

    private static TaskResultRequest Request(string runId, string handler, int index, JsonNode context) => new()
    {
        RunId = runId,
        Pipeline = "p",
        Task = "each",
        Handler = handler,
        TaskResult = index,
        Context = context,
    };
}
