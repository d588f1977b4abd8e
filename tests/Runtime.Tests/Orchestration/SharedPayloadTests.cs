using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using DurablePipelines.Activities;
using DurablePipelines.Definitions;
using DurablePipelines.Handlers;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Orchestration;

/// <summary>
/// A run input (or a pipeline-iterator item) over the inline payload limit is stored once and referenced from every
/// task's context; before, every task's context was over the limit and stored on its own.
/// </summary>
public sealed class SharedPayloadTests : IDisposable
{
    private static readonly JsonArray s_big = new([.. Enumerable.Range(0, 200).Select(i => (JsonNode)$"value-{i:D5}")]);

    private readonly InputProbe _probe = new();
    private readonly ServiceProvider _services;

    public SharedPayloadTests()
    {
        var services = new ServiceCollection().AddLogging().AddDurablePipelines();
        services.AddSingleton(_probe);
        services.AddPipelineTask<InputProbe>("probe");
        _services = services.BuildServiceProvider();
    }

    [Fact]
    public void RunPipelineAsync_InputOverTheLimit_StoresItOnceAndNoTaskContext()
    {
        var history = new ScriptedHistory();
        var run = history.Drive(c => PipelineOrchestration.RunPipelineAsync(c, Run(Chain(), new JsonObject { ["big"] = s_big.DeepClone() })), _ => 0, Execute);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var stores = history.Calls.Where(c => c.StartsWith($"activity {ActivityNames.StorePayload}", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"activity {ActivityNames.StorePayload} run-1/payload/input"], stores);
        Assert.Equal(s_big.ToJsonString(), run.Input!["big"]!.ToJsonString());
    }

    [Fact]
    public void RunPipelineAsync_ItemsOverTheLimit_StoresEachItemOnceForItsPipelineResult()
    {
        var definition = new PipelineBuilder("items").ForEach("input.items").Task("a", "probe").Task("b", "probe").Build();
        var input = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["big"] = s_big.DeepClone() }, new JsonObject { ["big"] = s_big.DeepClone() }) };
        var history = new ScriptedHistory();

        var run = history.Drive(c => PipelineOrchestration.RunPipelineAsync(c, Run(definition, input)), _ => 0, Execute);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var stores = history.Calls.Where(c => c.StartsWith($"activity {ActivityNames.StorePayload}", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                $"activity {ActivityNames.StorePayload} run-1/payload/0/item",
                $"activity {ActivityNames.StorePayload} run-1/payload/1/item",
                $"activity {ActivityNames.StorePayload} run-1/payload/input",
            ],
            stores);
        Assert.All(run.PipelineResults, r => Assert.Equal(s_big.ToJsonString(), r.Item!["big"]!.ToJsonString()));
    }

    [Theory]
    [InlineData("eager")]
    [InlineData("parallel")]
    public async Task RunAsync_InputOverTheLimit_EveryHandlerSeesTheWholeInput(string runner)
    {
        var run = new RunPipelineInput { RunId = "run-2", Definition = Chain(), Input = new JsonObject { ["big"] = s_big.DeepClone() }, Settings = Settings() };

        var execution = await _services.GetRequiredService<PipelineRunnerRegistry>().Get(runner).RunAsync(run, NullReporter.Instance, CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, execution.Status);
        Assert.Equal(3, _probe.Inputs.Count);
        Assert.All(_probe.Inputs, seen => Assert.Equal(s_big.ToJsonString(), seen));
    }

    public void Dispose() => _services.Dispose();

    private static PipelineDefinition Chain() => new PipelineBuilder("chain").Task("a", "probe").Task("b", "probe").Task("c", "probe").Build();

    private static OrchestrationSettings Settings() => new() { InlinePayloadLimit = 1024 };

    private static RunPipelineInput Run(PipelineDefinition definition, JsonNode input) => new()
    {
        RunId = "run-1",
        CreatedAt = new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc),
        Definition = definition,
        Input = input,
        Settings = Settings(),
    };

    private object? Execute(ScriptedHistory.PendingActivity call) =>
        _services.GetRequiredService<PipelineActivities>().InvokeAsync(call.Name, call.Input, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Records the <c>big</c> member of the input (or of the item) it sees; returns nothing.</summary>
    private sealed class InputProbe : IPipelineTask
    {
        public ConcurrentQueue<string> Inputs { get; } = new();

        public Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
        {
            Inputs.Enqueue((context.Item ?? context.Input)?["big"]?.ToJsonString() ?? "missing");
            return Task.FromResult<JsonNode?>(null);
        }
    }
}
