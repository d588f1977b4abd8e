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

    // A step of a wide run sees many results and publishes after each: its progress is built and reported once, as
    // it stands at the end of the step.
    [Fact]
    public async Task PublishProgress_SeveralTimesInOneStep_ReportsOnceAsItStandsAtTheEnd()
    {
        using var services = Services(new HoldTask(), new CountTask());
        var reporter = new RecordingReporter();
        using var runtime = new InProcessRuntime("run-1", services.GetRequiredService<PipelineActivities>(), reporter, TimeProvider.System, 1, CancellationToken.None);
        var succeeded = 0;
        Func<RunProgress> build = () => new RunProgress { InstanceId = "run-1", Tasks = new StatusCounts(0, 0, succeeded, 0, 0), Results = new StatusCounts(0, 0, 0, 0, 0) };

        var reportedInStep = await runtime.Start(async () =>
        {
            for (succeeded = 1; succeeded <= 3; succeeded++)
            {
                runtime.PublishProgress(build);
            }

            var inStep = reporter.Progresses.Count;
            await Task.Yield();
            return inStep;
        }).WaitAsync(s_timeout);

        Assert.Equal(0, reportedInStep);
        var reported = Assert.Single(reporter.Progresses);
        Assert.Equal(4, reported.Tasks.Succeeded);
    }

    // The orchestration runs on the run's own loop, but in the caller's execution context: what the caller put in
    // async-locals (a logging scope, the current trace) reaches orchestration code and the handlers it starts.
    [Fact]
    public async Task Start_CallerSetAnAsyncLocal_OrchestrationAndItsActivitiesSeeIt()
    {
        var hold = new HoldTask();
        using var services = Services(hold, new CountTask());
        using var runtime = Runtime(services);
        HoldTask.Flowing.Value = "from the caller";

        var seen = await runtime.Start(async () =>
        {
            var inOrchestration = HoldTask.Flowing.Value;
            var activity = runtime.RunActivityAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, Request("hold", "hold", 0));
            await hold.Entered;
            hold.Release();
            await activity;
            return (inOrchestration, hold.SawFlowing, afterAwait: HoldTask.Flowing.Value);
        }).WaitAsync(s_timeout);

        Assert.Equal(("from the caller", "from the caller", "from the caller"), seen);
    }

    // A chunk's stop check reads what its waiter set: the waiter must run in the step that sends the stop, before a
    // result of the chunk that ends in a later step is seen.
    [Fact]
    public async Task SendStop_InstanceWaiting_ContinuesItsWaiterInTheSendersStep()
    {
        using var services = Services(new HoldTask(), new CountTask());
        using var runtime = Runtime(services);

        var seen = await runtime.Start(async () =>
        {
            string? reason = null;
            _ = WatchAsync();
            runtime.SendStop("run-1:p0:each:c1", "not started: another result of this task failed");
            var inStep = reason;
            await Task.Yield();
            return inStep;

            async Task WatchAsync() => reason = await runtime.WaitForStopAsync("run-1:p0:each:c1", CancellationToken.None);
        }).WaitAsync(s_timeout);

        Assert.Equal("not started: another result of this task failed", seen);
    }

    [Fact]
    public async Task SendStop_ReachesOnlyItsInstance_KeptUntilItWaits_FirstReasonCounts()
    {
        using var services = Services(new HoldTask(), new CountTask());
        using var runtime = Runtime(services);

        runtime.SendStop("c0", "first");
        runtime.SendStop("c0", "second");
        var c0 = runtime.WaitForStopAsync("c0", CancellationToken.None);
        using var stopWaiting = new CancellationTokenSource();
        var c1 = runtime.WaitForStopAsync("c1", stopWaiting.Token);

        Assert.Equal("first", await c0.WaitAsync(s_timeout));
        Assert.False(c1.IsCompleted);
        await stopWaiting.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => c1);
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

    // Eager: one activity at a time.
    private static InProcessRuntime Runtime(ServiceProvider services) =>
        new("run-1", services.GetRequiredService<PipelineActivities>(), NullReporter.Instance, TimeProvider.System, 1, CancellationToken.None);

    private static InProcessRunner Runner(ServiceProvider services, int limit) =>
        new("test", limit, services.GetRequiredService<PipelineActivities>(), TimeProvider.System);

    private static TaskResultRequest Request(string task, string handler, int index) => new()
    {
        RunId = "run-1",
        Pipeline = "p",
        Task = task,
        Handler = handler,
        TaskResult = index,
        Context = new JsonObject(),
    };

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
