using System.Collections.Concurrent;
using System.Text.Json.Nodes;
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
    /// <summary>An in-memory store that counts loads per reference.</summary>
    private sealed class CountingPayloadStore : IPayloadStore
    {
        private readonly InMemoryPayloadStore _inner = new();

        public ConcurrentDictionary<string, int> Loads { get; } = new();

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
        var services = new ServiceCollection().AddLogging().AddSingleton<IPayloadStore>(store).AddDurablePipelines();
        services.AddPipelineTask<MutatingTask>("mutate");
        using var sp = services.BuildServiceProvider();
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
        Assert.EndsWith("/input", input.Key, StringComparison.Ordinal);
        Assert.Equal(2, input.Value);
    }
}
