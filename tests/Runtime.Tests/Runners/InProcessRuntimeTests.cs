using System.Text.Json.Nodes;
using DurablePipelines.Activities;
using DurablePipelines.Definitions;
using DurablePipelines.Handlers;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Runners;

public class InProcessRuntimeTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private static readonly AsyncLocal<string?> s_flowing = new();

    // The eager race of rule 6: a call made while another holds the limiter waits for it; the result that frees
    // the limiter stops the run (a failure under failFast). The waiting call has not started, and must be asked
    // after the orchestration has seen that result, so it is held back, never run.
    [Fact]
    public async Task RunActivityAsync_ResultThatStopsTheRunFreesTheLimiter_HoldsTheWaitingCallBack()
    {
        var hold = new HoldTask();
        var count = new CountTask();
        using var services = Services(hold, count);
        using var runtime = Runtime(services);
        var stopped = false;
        var asked = 0;

        var waiting = await runtime.Start(async () =>
        {
            var first = runtime.RunActivityAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, Request("hold", "hold", 0));
            await hold.Entered;
            var next = runtime.RunActivityAsync<TaskResultOutcome?>(ActivityNames.RunTaskResult, Request("next", "count", 1), () =>
            {
                asked++;
                return !stopped;
            });
            hold.Release();
            await first;
            stopped = true;
            return await next;
        }).WaitAsync(s_timeout);

        Assert.Null(waiting);
        Assert.Equal(1, asked);
        Assert.Equal(0, count.Runs);
    }

    [Fact]
    public async Task RunActivityAsync_NothingStopsTheWaitingCall_AsksOnceAndRunsIt()
    {
        var hold = new HoldTask();
        var count = new CountTask();
        using var services = Services(hold, count);
        using var runtime = Runtime(services);
        var asked = 0;

        var outcome = await runtime.Start(async () =>
        {
            var first = runtime.RunActivityAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, Request("hold", "hold", 0));
            await hold.Entered;
            var next = runtime.RunActivityAsync<TaskResultOutcome?>(ActivityNames.RunTaskResult, Request("next", "count", 1), () =>
            {
                asked++;
                return true;
            });
            hold.Release();
            await first;
            return await next;
        }).WaitAsync(s_timeout);

        Assert.NotNull(outcome);
        Assert.True(outcome.Succeeded);
        Assert.Equal(1, asked);
        Assert.Equal(1, count.Runs);
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
        s_flowing.Value = "from the caller";

        var seen = await runtime.Start(async () =>
        {
            var inOrchestration = s_flowing.Value;
            var activity = runtime.RunActivityAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, Request("hold", "hold", 0));
            await hold.Entered;
            hold.Release();
            await activity;
            return (inOrchestration, hold.SawFlowing, afterAwait: s_flowing.Value);
        }).WaitAsync(s_timeout);

        Assert.Equal(("from the caller", "from the caller", "from the caller"), seen);
    }

    // A reporter that throws fails the run loudly, as it did when progress was reported inline, and stops it.
    [Fact]
    public async Task RunAsync_ReporterThrowsOnProgress_StopsTheRunAndThrowsItsException()
    {
        using var services = Services(new HoldTask(), new CountTask());
        var definition = new PipelineBuilder("throwing-reporter").Task("a", "count").Task("b", "count").Build();
        var run = new RunPipelineInput { RunId = "run-1", Definition = definition };

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            services.GetRequiredService<PipelineRunnerRegistry>().Get("parallel").RunAsync(run, new ThrowingReporter(), CancellationToken.None).WaitAsync(s_timeout));

        Assert.Equal("the reporter failed", thrown.Message);
    }

    // A chunk's stop check reads what its waiter set: the waiter must run in the step that sends the stop, before a
    // call waiting for a slot (handed over in a later step) is asked whether it may start.
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

    private static TaskResultRequest Request(string task, string handler, int index) => new()
    {
        RunId = "run-1",
        Pipeline = "p",
        Task = task,
        Handler = handler,
        TaskResult = index,
        Context = new JsonObject(),
    };

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

    /// <summary>A handler that runs until the test releases it.</summary>
    private sealed class HoldTask : IPipelineTask
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _release.TrySetResult();

        public string? SawFlowing { get; private set; }

        public async Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
        {
            SawFlowing = s_flowing.Value;
            _entered.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
            return null;
        }
    }

    /// <summary>A handler that counts its runs.</summary>
    private sealed class CountTask : IPipelineTask
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            return Task.FromResult<JsonNode?>(null);
        }
    }
}
