using System.Text.Json.Nodes;
using DurablePipelines.Activities;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using DurablePipelines.Tests.Conformance;
using DurablePipelines.TestSupport.Time;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Runners;

/// <summary>
/// Retries' backoff and the ttl on the in-process runners, whose every timer (the orchestration's, the attempt's
/// limit, a handler's sleep) runs on the runner's clock: here a <see cref="TestClock"/> the test moves once the run
/// waits on it. The times are exact, and hours pass without a wait.
/// </summary>
public sealed class InProcessTimeTests : IDisposable
{
    private readonly TestClock _clock = new();
    private readonly ServiceProvider _services;

    public InProcessTimeTests() =>
        _services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(_clock).AddDurablePipelines().BuildServiceProvider();

    // Rule 7: attempt 2 waits 2 s after attempt 1 failed, attempt 3 waits 4 s (backoff 2), and not a tick less.
    [Theory]
    [InlineData("eager")]
    [InlineData("parallel")]
    public async Task RunAsync_RetryWithBackoff_EachAttemptWaitsItsDelayOnTheRunnersClock(string runner)
    {
        var definition = new PipelineBuilder("backoff")
            .Task("flaky", "fail", t => t.Config(new JsonObject { ["times"] = 2 }).Retry(3, TimeSpan.FromSeconds(2), 2.0))
            .Build();
        var createdAt = _clock.UtcNow;

        var running = RunAsync(runner, definition);
        foreach (var delay in new[] { TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) })
        {
            await _clock.WaitForTimersAsync(1);
            _clock.Advance(delay - TimeSpan.FromTicks(1));
            Assert.Equal(1, _clock.WaitingTimers);
            _clock.Advance(TimeSpan.FromTicks(1));
        }

        var run = await running.WaitAsync(TestClock.WaitLimit);

        var flaky = RecordAssert.Task(Assert.Single(run.PipelineResults), "flaky").TaskResults.Single();
        Assert.Equal((RunStatus.Succeeded, 3), (flaky.Status, flaky.Attempts));
        Assert.Equal((createdAt, createdAt.AddSeconds(6)), (flaky.StartedAt, flaky.FinishedAt));
    }

    // The ttl stops the run from starting anything at the ttl; the running handler's token fires 100 ms later, and its
    // attempt fails with the ttl's error (docs/rules.md, ttl).
    [Theory]
    [InlineData("eager")]
    [InlineData("parallel")]
    public async Task RunAsync_TtlExpires_NothingStartsAfterItAndTheRunningHandlerIsStoppedTheGraceLater(string runner)
    {
        var definition = new PipelineBuilder("ttl")
            .Ttl(TimeSpan.FromHours(1))
            .Task("slow", "sleep", t => t.Config(new JsonObject { ["ms"] = (int)TimeSpan.FromHours(2).TotalMilliseconds }))
            .Task("never", "echo")
            .Build();
        var createdAt = _clock.UtcNow;

        var running = RunAsync(runner, definition);

        // The run's ttl timer, the attempt's limit (the ttl plus its grace) and the handler's sleep.
        await _clock.WaitForTimersAsync(3);
        _clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        Assert.Equal(3, _clock.WaitingTimers);
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(2, _clock.WaitingTimers);
        _clock.Advance(TaskResultExecutor.DeadlineGrace - TimeSpan.FromTicks(1));
        Assert.Equal(2, _clock.WaitingTimers);
        _clock.Advance(TimeSpan.FromTicks(1));
        var run = await running.WaitAsync(TestClock.WaitLimit);

        var stoppedAt = createdAt + TimeSpan.FromHours(1) + TaskResultExecutor.DeadlineGrace;
        Assert.Equal((RunStatus.Cancelled, "the run's ttl of 01:00:00 expired", stoppedAt), (run.Status, run.Error!.Message, run.FinishedAt));
        var result = Assert.Single(run.PipelineResults);
        var slow = RecordAssert.Task(result, "slow").TaskResults.Single();
        Assert.Equal((RunStatus.Failed, 1, "the run's ttl expired", stoppedAt), (slow.Status, slow.Attempts, slow.Error!.Message, slow.FinishedAt));
        var never = RecordAssert.Task(result, "never");
        Assert.Equal((RunStatus.Cancelled, null, "not started: parent 'slow' failed"), (never.Status, never.StartedAt, never.Error!.Message));
    }

    public void Dispose() => _services.Dispose();

    private Task<PipelineExecution> RunAsync(string runner, PipelineDefinition definition)
    {
        var run = new RunPipelineInput { RunId = $"{definition.Name}-1", Definition = definition, CreatedAt = _clock.UtcNow };
        return _services.GetRequiredService<PipelineRunnerRegistry>().Get(runner).RunAsync(run, NullReporter.Instance, CancellationToken.None);
    }
}
