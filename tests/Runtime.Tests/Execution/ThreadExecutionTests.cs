using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Execution;

/// <summary>
/// The <c>thread</c> execution on the <c>parallel</c> runner: handlers that block their thread (as synchronous or
/// CPU-bound code does) hold threads of their own, so the run's other results go on as if they were not there.
/// </summary>
public sealed class ThreadExecutionTests : IDisposable
{
    private const int BlockingResults = 12;
    private const int BlockMs = 3000;

    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddDurablePipelines().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task BlockingHandlersOnThreads_DoNotSlowTheRunsOtherResults()
    {
        // Twelve results block for 3 s each, more than this machine's cores (the pool's threads to start with); the
        // quick ones (no parents, so they start with them) must not wait for the pool to grow.
        var definition = new PipelineBuilder("blocking")
            .Task("block", "sleep", t => t.After().ForEach("input.blocks").Execution(Executions.Thread)
                .Config(new JsonObject { ["ms"] = BlockMs, ["blocking"] = true }))
            .Task("quick", "echo", t => t.After().ForEach("input.quick"))
            .Build();
        var input = new JsonObject
        {
            ["blocks"] = new JsonArray([.. Enumerable.Range(0, BlockingResults).Select(i => (JsonNode)i)]),
            ["quick"] = new JsonArray([.. Enumerable.Range(0, 50).Select(i => (JsonNode)i)]),
        };
        var run = new RunPipelineInput { RunId = $"blocking-{Guid.NewGuid():N}", Definition = definition, Input = input, CreatedAt = DateTime.UtcNow };

        var record = await _services.GetRequiredService<PipelineRunnerRegistry>().Get("parallel").RunAsync(run, NullReporter.Instance, CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, record.Status);
        var result = Assert.Single(record.PipelineResults);
        var block = result.TaskExecutions.Single(t => t.Task == "block");
        var quick = result.TaskExecutions.Single(t => t.Task == "quick");
        Assert.All(block.TaskResults, r => Assert.True(r.FinishedAt - r.StartedAt >= TimeSpan.FromMilliseconds(BlockMs - 50)));
        var quickTook = quick.FinishedAt!.Value - record.StartedAt!.Value;
        Assert.True(quickTook < TimeSpan.FromMilliseconds(BlockMs / 3), $"the quick results ended {quickTook.TotalMilliseconds:F0} ms into the run, while the blocking ones ran");
        Assert.True(block.FinishedAt - record.StartedAt < TimeSpan.FromMilliseconds(BlockMs * 2), "the blocking results ran side by side, each on its thread");
    }
}
