using System.Text.Json.Nodes;
using DurablePipelines.Activities;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Runners;

public class InProcessRuntimeTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    // The eager race of rule 6, made deterministic with a handler the test holds: "boom" waits for the one slot
    // while "hold" runs; "hold" succeeds, so "after-hold" is ready and waits behind "boom", which fails. The result
    // that freed the slot stopped the run (failFast): "after-hold" has not started, and never does.
    [Fact]
    public async Task RunAsync_EagerFailFast_TaskWaitingBehindTheFailureNeverStarts()
    {
        var hold = new HoldTask();
        var count = new CountTask();
        using var services = Services(hold, count);
        var definition = new PipelineBuilder("fail-fast")
            .FailFast()
            .Task("hold", "hold", t => t.After())
            .Task("after-hold", "count", t => t.After("hold"))
            .Task("boom", "fail", t => t.After())
            .Build();

        var running = Runner(services, 1).RunAsync(Run(definition), NullReporter.Instance, CancellationToken.None);
        await hold.Entered.WaitAsync(s_timeout);
        hold.Release();
        var run = await running.WaitAsync(s_timeout);

        var afterHold = run.PipelineResults[0].TaskExecutions.Single(t => t.Task == "after-hold");
        Assert.Equal(RunStatus.Cancelled, afterHold.Status);
        Assert.Null(afterHold.StartedAt);
        Assert.Equal(0, count.Runs);
        Assert.Equal(RunStatus.Failed, run.PipelineResults[0].TaskExecutions.Single(t => t.Task == "boom").Status);
    }

    // The runner's limit holds for the whole run: pipeline results, task chunks and independent tasks share it, and
    // the runtime itself queues nothing (the orchestration keeps within it).
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task RunAsync_PipelineResultsAndChunks_NeverMoreActivitiesAtOnceThanTheLimit(int limit)
    {
        var count = new CountTask { Sleep = TimeSpan.FromMilliseconds(5) };
        using var services = Services(new HoldTask(), count);
        var definition = new PipelineBuilder("shared-limit")
            .ForEach("input.regions")
            .Task("single", "count", t => t.After())
            .Task("each", "count", t => t.After().ForEach("input.items").MaxConcurrency(4))
            .Build();
        var input = new JsonObject { ["regions"] = new JsonArray("eu", "us", "apac"), ["items"] = new JsonArray(0, 1, 2, 3, 4) };

        var run = await Runner(services, limit).RunAsync(Run(definition, input, new OrchestrationSettings { ChunkSize = 2 }), NullReporter.Instance, CancellationToken.None).WaitAsync(s_timeout);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(18, count.Runs);
        Assert.InRange(count.MostAtOnce, 1, limit);
    }

    // A reporter that throws fails the run loudly, as it did when progress was reported inline, and stops it.
    [Fact]
    public async Task RunAsync_ReporterThrowsOnProgress_StopsTheRunAndThrowsItsException()
    {
        using var services = Services(new HoldTask(), new CountTask());
        var definition = new PipelineBuilder("throwing-reporter").Task("a", "count").Task("b", "count").Build();

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            services.GetRequiredService<PipelineRunnerRegistry>().Get("parallel").RunAsync(Run(definition), new ThrowingReporter(), CancellationToken.None).WaitAsync(s_timeout));

        Assert.Equal("the reporter failed", thrown.Message);
    }

    private static ServiceProvider Services(HoldTask hold, CountTask count)
    {
        var services = new ServiceCollection().AddLogging().AddDurablePipelines();
        services.AddSingleton(hold);
        services.AddSingleton(count);
        services.AddPipelineTask<HoldTask>("hold");
        services.AddPipelineTask<CountTask>("count");
        return services.BuildServiceProvider();
    }

    private static InProcessRunner Runner(ServiceProvider services, int limit) =>
        new("test", limit, services.GetRequiredService<PipelineActivities>(), TimeProvider.System, new InProcessRunControl());

    private static RunPipelineInput Run(PipelineDefinition definition, JsonNode? input = null, OrchestrationSettings? settings = null) =>
        new() { RunId = "run-1", Definition = definition, Input = input, Settings = settings ?? new OrchestrationSettings() };

    private sealed class ThrowingReporter : IPipelineReporter
    {
        public void StateChanged(StateChange change)
        {
        }

        public void Progress(RunProgress progress) => throw new InvalidOperationException("the reporter failed");

        public void Finished(PipelineExecution execution)
        {
        }
    }
}
