using System.Text.Json;
using System.Text.Json.Nodes;
using DurablePipelines.Activities;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Tests.Conformance;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Orchestration;

/// <summary>
/// A rerun over a scripted history: the calls it makes (none for what it reuses), the <see cref="StateAction.Reused"/>
/// rows it reports, and the same calls again when replayed.
/// </summary>
public sealed class PipelineOrchestrationRerunTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddDurablePipelines().BuildServiceProvider();

    // 'eu' succeeds whole; in 'us', 'price' fails at order 7 (index 3, in the first of three chunks of 4).
    private static RunPipelineInput Input(string runId, Rerun? rerun = null) => new()
    {
        RunId = runId,
        CreatedAt = new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc),
        Settings = new OrchestrationSettings { ChunkSize = 4 },
        Input = new JsonObject
        {
            ["regions"] = new JsonArray(
                new JsonObject { ["name"] = "eu", ["orders"] = new JsonArray(1, 2, 3) },
                new JsonObject { ["name"] = "us", ["orders"] = new JsonArray([.. Enumerable.Range(4, 9).Select(i => (JsonNode)i)]) }),
        },
        Definition = new PipelineBuilder("rerun")
            .ForEach("input.regions")
            .Task("extract", "echo")
            .Task("price", "fail", t => t.After("extract").ForEach("item.orders").MaxConcurrency(2).Config(new JsonObject { ["items"] = new JsonArray(7) }))
            .Task("load", "echo", t => t.After("price"))
            .Build(),
        Rerun = rerun,
    };

    public void Dispose() => _services.Dispose();

    [Fact]
    public void RunPipelineAsync_Rerun_CallsNothingForWhatItReusesAndReportsItReused()
    {
        var source = new ScriptedHistory().Drive(c => PipelineOrchestration.RunPipelineAsync(c, Input("run-1")), _ => 0, Execute);
        var history = new ScriptedHistory();

        var rerun = history.Drive(c => PipelineOrchestration.RunPipelineAsync(c, Input("run-2", Rerun.Of(source))), _ => 0, Execute);

        Assert.Equal("run-1", rerun.RerunOf);
        Assert.Equal([RunStatus.Succeeded, RunStatus.Failed], source.PipelineResults.Select(p => p.Status));
        var succeeded = RecordAssert.Task(source.PipelineResults[1], "price").TaskResults.Where(r => r.Status == RunStatus.Succeeded).Select(r => r.Index).ToList();
        Assert.NotEmpty(succeeded);

        // 'eu' is kept whole: no sub-orchestration; 'us' keeps 'extract' whole and the succeeded results of 'price'.
        Assert.DoesNotContain(history.Calls, c => c.Contains("run-2:p0", StringComparison.Ordinal) || c.Contains("run-2/0/", StringComparison.Ordinal));
        Assert.Contains("sub-orchestration RunPipelineItem run-2:p1", history.Calls);
        Assert.DoesNotContain(history.Calls, c => c.Contains("run-2/1/extract/", StringComparison.Ordinal));
        Assert.All(succeeded, i => Assert.DoesNotContain($"activity {ActivityNames.RunTaskResult} run-2/1/price/{i}/1", history.Calls));
        Assert.Contains($"activity {ActivityNames.RunTaskResult} run-2/1/price/3/1", history.Calls);

        var reused = history.Changes.Where(c => c.Action == StateAction.Reused).ToList();
        Assert.All(reused, c => Assert.Equal(RunStatus.Succeeded, c.Status));
        Assert.Contains(reused, c => c is { PipelineResult: 0, Task: null });
        Assert.Contains(reused, c => c is { PipelineResult: 1, Task: "extract", TaskResult: null });
        Assert.Equal(succeeded, reused.Where(c => c is { PipelineResult: 1, Task: "price" }).Select(c => c.TaskResult!.Value).Order());
        Assert.DoesNotContain(history.Changes, c => c is { PipelineResult: 1, Task: "price", Action: StateAction.Started } && succeeded.Contains(c.TaskResult ?? -1));

        var price = RecordAssert.Task(rerun.PipelineResults[1], "price").TaskResults;
        Assert.All(price, r => Assert.Equal(succeeded.Contains(r.Index) ? "run-1" : null, r.ReusedFrom));
        Assert.Equal(
            JsonSerializer.Serialize(source.PipelineResults[0], PipelineJson.Options),
            JsonSerializer.Serialize(rerun.PipelineResults[0] with { TaskExecutions = [.. rerun.PipelineResults[0].TaskExecutions.Select(t => t with { TaskResults = [.. t.TaskResults.Select(r => r with { ReusedFrom = null })] })] }, PipelineJson.Options));
    }

    [Fact]
    public void RunPipelineAsync_RerunReplayedOverRecordedResults_MakesTheSameCallsInTheSameOrder()
    {
        var source = new ScriptedHistory().Drive(c => PipelineOrchestration.RunPipelineAsync(c, Input("run-1")), _ => 0, Execute);
        var first = new ScriptedHistory();
        first.Drive(c => PipelineOrchestration.RunPipelineAsync(c, Input("run-2", Rerun.Of(source))), _ => 0, Execute);

        var replay = new ScriptedHistory { Replaying = true };
        var order = new Queue<string>(first.CompletionOrder);
        replay.Drive(
            c => PipelineOrchestration.RunPipelineAsync(c, Input("run-2", Rerun.Of(source))),
            pending => pending.ToList().FindIndex(p => p.Input.Key == order.Dequeue()),
            call => first.Results[call.Input.Key]);

        Assert.Equal(first.Calls, replay.Calls);
    }

    private object? Execute(ScriptedHistory.PendingActivity call) =>
        _services.GetRequiredService<PipelineActivities>().InvokeAsync(call.Name, call.Input, CancellationToken.None).GetAwaiter().GetResult();
}
