using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Catalog;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.FunctionApp.Tests.Engine;

/// <summary>
/// The Function App on the engine writes the same record as the in-process runners for the same run: every
/// status, attempt, output, error and metadata, all but the times and the runner's name.
/// </summary>
public abstract class EngineRecordTests(EngineFixture engine)
{
    public static TheoryData<string> Definitions => [.. Samples.Keys];

    private static Dictionary<string, (PipelineDefinition Definition, JsonNode? Input, OrchestrationSettings Settings)> Samples { get; } = new()
    {
        ["diamond"] = (new PipelineBuilder("diamond")
            .Task("a", "echo", t => t.Config(new JsonObject { ["step"] = "a" }))
            .Task("b", "echo", t => t.After("a"))
            .Task("c", "echo", t => t.After("a"))
            .Task("d", "echo", t => t.After("b", "c"))
            .Build(), new JsonObject { ["date"] = "2026-12-04" }, new OrchestrationSettings()),
        ["regions-with-a-failure"] = (new PipelineBuilder("regions")
            .ForEach("input.regions")
            .Metadata(new JsonObject { ["owner"] = "billing" })
            .Task("extract", "fail", t => t.Config(new JsonObject { ["items"] = new JsonArray("us"), ["message"] = "no orders in us" }))
            .Task("load", "echo", t => t.After("extract"))
            .Task("audit", "echo")
            .Build(), new JsonObject { ["regions"] = new JsonArray("eu", "us", "apac") }, new OrchestrationSettings()),
        ["chunked-iterator-with-retries"] = (new PipelineBuilder("chunks")
            .Task("each", "fail", t => t.ForEach("input.items").MaxConcurrency(3).Retry(2)
                .Config(new JsonObject { ["times"] = 1 }))
            .Task("after", "echo", t => t.After("each"))
            .Build(), new JsonObject { ["items"] = new JsonArray([.. Enumerable.Range(0, 12).Select(i => (JsonNode)i)]) }, new OrchestrationSettings { ChunkSize = 5 }),
        ["failure-cancels-descendants"] = (new PipelineBuilder("descendants")
            .Task("root", "echo", t => t.After())
            .Task("broken", "fail", t => t.After("root"))
            .Task("child", "echo", t => t.After("broken"))
            .Task("independent", "echo", t => t.After("root"))
            .Build(), null, new OrchestrationSettings()),
    };

    [Theory]
    [MemberData(nameof(Definitions))]
    public async Task RunAsync_SameRunAsEager_SameRecordButTimesAndRunner(string sample)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var (definition, input, settings) = Samples[sample];
        var run = new RunPipelineInput { RunId = $"{sample}-{Guid.NewGuid():N}", Definition = definition, Input = input, Settings = settings, CreatedAt = DateTime.UtcNow };
        var eager = await engine.Hub.Services.GetRequiredService<PipelineRunnerRegistry>().Get("eager").RunAsync(run with { Runner = "eager" }, NullReporter.Instance, CancellationToken.None);

        var durable = await engine.Hub.RunAsync(run with { Runner = "durable" });

        Assert.Equal(Comparable(eager), Comparable(durable));
    }

    public static TheoryData<string> ShippedExamples =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "pipelines"), "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)];

    /// <summary>The events raised at the start of a shipped example whose tasks wait for them (approval gates).</summary>
    private static Dictionary<string, Dictionary<string, JsonNode?>> ExampleEvents { get; } = new()
    {
        ["release-approval"] = new() { ["release"] = new JsonObject { ["approved"] = true, ["by"] = "ci" } },
    };

    /// <summary>
    /// Every pipeline the app ships (pipelines/*.json, copied next to it) from the app's own catalog, with its sample
    /// input (pipelines/inputs/, copied to sample-inputs/ as the app does not ship them), runs through the Function App's orchestrators to success, with eager's record.
    /// </summary>
    [Theory]
    [MemberData(nameof(ShippedExamples))]
    public async Task RunAsync_ShippedExample_SucceedsWithTheEagerRecord(string pipeline)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var definition = engine.Hub.Services.GetRequiredService<PipelineCatalog>().Find(pipeline);
        Assert.NotNull(definition);
        var input = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "sample-inputs", pipeline + ".json")));
        var gates = definition.Tasks.Where(t => t.Handler == WaitForEvent.HandlerName).Select(t => t.Config?["event"]?.GetValue<string>()).ToList();
        var events = ExampleEvents.GetValueOrDefault(pipeline) ?? new Dictionary<string, JsonNode?>();
        Assert.True(gates.All(name => name is not null && events.ContainsKey(name)), $"{pipeline} waits for events [{string.Join(", ", gates)}]: give each a body in ExampleEvents, or the run waits for its gate's timeout");
        var run = new RunPipelineInput { RunId = $"{pipeline}-{Guid.NewGuid():N}", Definition = definition, Input = input, CreatedAt = DateTime.UtcNow, RunEvents = events.Count == 0 ? null : events };
        using var eagerTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var eager = await engine.Hub.Services.GetRequiredService<PipelineRunnerRegistry>().Get("eager").RunAsync(run with { Runner = "eager" }, NullReporter.Instance, eagerTimeout.Token);

        var durable = await engine.Hub.RunAsync(run with { Runner = "durable" });

        Assert.True(durable.Status == RunStatus.Succeeded, Comparable(durable));
        Assert.NotEmpty(durable.PipelineResults.SelectMany(r => r.TaskExecutions).SelectMany(t => t.TaskResults));
        Assert.Equal(Comparable(eager), Comparable(durable));
    }

    /// <summary>The record as JSON without what differs between runners by design: times and the runner's name.</summary>
    internal static string Comparable(PipelineExecution record)
    {
        var json = JsonSerializer.SerializeToNode(record, PipelineJson.Options)!;
        Strip(json);
        return json.ToJsonString(PipelineJson.Indented);

        static void Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var name in obj.Select(p => p.Key).Where(k => k is "runner" or "createdAt" or "startedAt" or "finishedAt").ToList())
                    {
                        obj.Remove(name);
                    }

                    foreach (var (_, value) in obj)
                    {
                        Strip(value);
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Strip(item);
                    }

                    break;
            }
        }
    }
}

public sealed class InMemoryEngineRecordTests(InMemoryEngineFixture engine)
    : EngineRecordTests(engine), IClassFixture<InMemoryEngineFixture>;

public sealed class AzureStorageEngineRecordTests(AzureStorageEngineFixture engine)
    : EngineRecordTests(engine), IClassFixture<AzureStorageEngineFixture>;
