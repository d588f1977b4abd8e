using System.Text.Json.Nodes;
using DurablePipelines.Activities;
using DurablePipelines.Handlers;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.TestSupport.Time;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Activities;

/// <summary>
/// An attempt's time limits on the executor's clock, a <see cref="TestClock"/>: the handler's token fires exactly at
/// the task's timeout, or the run's ttl plus <see cref="TaskResultExecutor.DeadlineGrace"/> when that comes first, and a
/// handler that ignores it is abandoned exactly <see cref="TaskResultExecutor.AbandonGrace"/> later. Nothing sleeps.
/// </summary>
public sealed class TaskResultExecutorLimitTests : IDisposable
{
    private readonly TestClock _clock = new();
    private readonly ProbeTask _probe = new();
    private readonly ServiceProvider _services;

    public TaskResultExecutorLimitTests()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(_clock).AddSingleton(_probe).AddDurablePipelines();
        services.AddPipelineTask<ProbeTask>("probe");
        _services = services.BuildServiceProvider();
    }

    private TaskResultExecutor Executor => _services.GetRequiredService<TaskResultExecutor>();

    // ttlLeftMs: how long the run's ttl has left when the attempt starts (none: no ttl).
    [Theory]
    [InlineData(100, null, 100, "timed out after 00:00:00.1000000")]
    [InlineData(300, 1_000, 300, "timed out after 00:00:00.3000000")]
    [InlineData(null, 1_000, 1_100, "the run's ttl expired")]
    [InlineData(5_000, 1_000, 1_100, "the run's ttl expired")]
    public async Task RunAsync_TimeoutOrTtl_TokenFiresExactlyAtTheFirstLimitAndTheAttemptSaysWhich(int? timeoutMs, int? ttlLeftMs, int firesAtMs, string error)
    {
        var startedAt = _clock.UtcNow;
        var request = Request(timeoutMs, ttlLeftMs is { } left ? startedAt.AddMilliseconds(left) : null);

        var attempt = Executor.RunAsync(request, CancellationToken.None);
        await _probe.Entered.WaitAsync(TestClock.WaitLimit);
        _clock.Advance(TimeSpan.FromMilliseconds(firesAtMs) - TimeSpan.FromTicks(1));
        Assert.False(_probe.Token.IsCancellationRequested, "the token fired before the limit");
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(_probe.Token.IsCancellationRequested, "the token did not fire at the limit");
        var outcome = await attempt.WaitAsync(TestClock.WaitLimit);

        Assert.True(outcome.TimedOut);
        Assert.Equal(new TaskError("System.TimeoutException", error), outcome.Error);
        Assert.Equal((startedAt, startedAt.AddMilliseconds(firesAtMs)), (outcome.StartedAt, outcome.FinishedAt));
    }

    [Fact]
    public async Task RunAsync_HandlerIgnoresItsToken_AbandonedExactlyTheGraceAfterItFired()
    {
        _probe.IgnoresToken = true;
        var startedAt = _clock.UtcNow;

        var attempt = Executor.RunAsync(Request(timeoutMs: 100, deadline: null), CancellationToken.None);
        await _probe.Entered.WaitAsync(TestClock.WaitLimit);
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(_probe.Token.IsCancellationRequested);

        // The token fired and the handler goes on: the executor waits the grace on its clock, and not a tick less.
        await _clock.WaitForTimersAsync(1);
        _clock.Advance(TaskResultExecutor.AbandonGrace - TimeSpan.FromTicks(1));
        Assert.Equal(1, _clock.WaitingTimers);
        _clock.Advance(TimeSpan.FromTicks(1));
        var outcome = await attempt.WaitAsync(TestClock.WaitLimit);

        Assert.True(outcome.TimedOut);
        Assert.Equal("timed out after 00:00:00.1000000 (the handler ignored its cancellation token and was abandoned)", outcome.Error!.Message);
        Assert.Equal(startedAt + TimeSpan.FromMilliseconds(100) + TaskResultExecutor.AbandonGrace, outcome.FinishedAt);
    }

    // The run's cancel reaches a handler with a time limit through the attempt's own token, at once.
    [Fact]
    public async Task RunAsync_RunCancelledBeforeTheTimeout_TokenFiresWithoutTheClockMoving()
    {
        using var run = new CancellationTokenSource();
        var startedAt = _clock.UtcNow;

        var attempt = Executor.RunAsync(Request(timeoutMs: 60_000, deadline: startedAt.AddHours(1)), run.Token);
        await _probe.Entered.WaitAsync(TestClock.WaitLimit);
        await run.CancelAsync();
        var outcome = await attempt.WaitAsync(TestClock.WaitLimit);

        Assert.True(_probe.Token.IsCancellationRequested);
        Assert.True(outcome.TimedOut);
        Assert.Equal("the run was cancelled", outcome.Error!.Message);
        Assert.Equal(startedAt, outcome.FinishedAt);
    }

    public void Dispose()
    {
        _probe.Release();
        _services.Dispose();
    }

    private static TaskResultRequest Request(int? timeoutMs, DateTime? deadline) => new()
    {
        RunId = "limits-1",
        Pipeline = "limits",
        Task = "probe",
        Handler = "probe",
        Context = new JsonObject(),
        Timeout = timeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        Deadline = deadline,
    };

    /// <summary>Waits until released or, unless it ignores it, its token fires; keeps the token it was given.</summary>
    private sealed class ProbeTask : IPipelineTask
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IgnoresToken { get; set; }

        public CancellationToken Token { get; private set; }

        public Task Entered => _entered.Task;

        public void Release() => _release.TrySetResult();

        public async Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
        {
            Token = cancellationToken;
            _entered.TrySetResult();
            await (IgnoresToken ? _release.Task : _release.Task.WaitAsync(cancellationToken));
            return "released";
        }
    }
}
