using DurablePipelines.Durable.Activities;
using DurablePipelines.Records;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurablePipelines.Durable.Tests.Activities;

public class RunStoreActivitiesTests
{
    private readonly InMemoryRunStore _store = new();

    private RunStoreActivities Sut(IRunEventPublisher? events = null) => new(_store, NullLogger<RunStoreActivities>.Instance, events);

    [Fact]
    public async Task SaveRunRecord_WritesTheRecordAndItsRunLog()
    {
        var record = new PipelineExecution { RunId = "r1", Pipeline = "orders", Status = RunStatus.Succeeded };
        var rows = new[]
        {
            new StateChange { RunId = "r1", Action = StateAction.Started, Status = RunStatus.Running },
            new StateChange { RunId = "r1", Action = StateAction.Succeeded, Status = RunStatus.Succeeded },
        };

        await Sut().SaveRunRecordAsync(new SaveRunRecordRequest(record, rows), CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, (await _store.GetAsync("r1", CancellationToken.None))?.Status);
        Assert.Equal(new[] { StateAction.Started, StateAction.Succeeded }, (await _store.GetLogAsync("r1", CancellationToken.None)).Select(r => r.Action));
    }

    [Fact]
    public async Task AppendRunLog_AppendsAfterRowsAlreadyThere()
    {
        await _store.AppendLogAsync("r1", [new StateChange { RunId = "r1", Action = StateAction.Started }], CancellationToken.None);

        await Sut().AppendRunLogAsync(new AppendRunLogRequest("r1", [new StateChange { RunId = "r1", PipelineResult = 0, Action = StateAction.Succeeded }]), CancellationToken.None);

        Assert.Equal(new[] { StateAction.Started, StateAction.Succeeded }, (await _store.GetLogAsync("r1", CancellationToken.None)).Select(r => r.Action));
    }

    [Fact]
    public async Task SaveRunRecord_PublishesEachRowsEventSeveralAtATimeThenFinishedLast()
    {
        var events = new RecordingPublisher();
        var rows = TaskRows("r1", 40);

        await Sut(events).SaveRunRecordAsync(new SaveRunRecordRequest(Finished("r1"), rows), CancellationToken.None);

        Assert.Equal(rows.Select(r => r.Task).Order(), events.Changes.Select(c => c.Task).Order());
        Assert.InRange(events.MostAtOnce, 2, RunStoreActivities.PublishConcurrency);
        Assert.Equal("r1", Assert.Single(events.Finished));
        Assert.Equal(events.Changes.Count, events.ChangesBeforeFinished);
    }

    [Fact]
    public async Task SaveRunRecord_AfterASendFails_StartsNoMoreOfTheBatchAndStillSavesTheRun()
    {
        // The third send fails at once while the ones before it are still sending: none after it starts, and those in
        // flight are stopped without failing the activity.
        var events = new RecordingPublisher { FailAt = 3, SendTime = TimeSpan.FromSeconds(5) };
        var rows = TaskRows("r1", 40);

        await Sut(events).SaveRunRecordAsync(new SaveRunRecordRequest(Finished("r1"), rows), CancellationToken.None);

        Assert.InRange(events.Started, 3, RunStoreActivities.PublishConcurrency);
        Assert.Empty(events.Changes);
        Assert.Empty(events.Finished);
        Assert.Equal(RunStatus.Succeeded, (await _store.GetAsync("r1", CancellationToken.None))?.Status);
        Assert.Equal(rows.Length, (await _store.GetLogAsync("r1", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task AppendRunLog_TheCallersCancellationIsNotTakenForAQueueFailure()
    {
        await _store.AppendLogAsync("r1", [new StateChange { RunId = "r1", Action = StateAction.Started }], CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var events = new RecordingPublisher { OnSend = cancel.Cancel };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Sut(events).AppendRunLogAsync(new AppendRunLogRequest("r1", TaskRows("r1", 20)), cancel.Token));
    }

    private static PipelineExecution Finished(string runId) => new() { RunId = runId, Pipeline = "orders", Status = RunStatus.Succeeded };

    private static StateChange[] TaskRows(string runId, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new StateChange { RunId = runId, PipelineResult = 0, Task = $"t{i:D2}", Action = StateAction.Succeeded, Status = RunStatus.Succeeded })];

    /// <summary>Records what is sent and how many sends overlap (each takes <see cref="SendTime"/>); the send numbered <see cref="FailAt"/> fails at once.</summary>
    private sealed class RecordingPublisher : IRunEventPublisher
    {
        private readonly Lock _gate = new();
        private int _inFlight;

        public int FailAt { get; init; } = int.MaxValue;

        public Action? OnSend { get; init; }

        public TimeSpan SendTime { get; init; } = TimeSpan.FromMilliseconds(5);

        public List<StateChange> Changes { get; } = [];

        public List<string> Finished { get; } = [];

        public int Started { get; private set; }

        public int MostAtOnce { get; private set; }

        public int ChangesBeforeFinished { get; private set; }

        public async Task PublishStateChangedAsync(StateChange change, CancellationToken cancellationToken)
        {
            int started;
            lock (_gate)
            {
                started = ++Started;
                MostAtOnce = Math.Max(MostAtOnce, ++_inFlight);
            }

            try
            {
                OnSend?.Invoke();
                if (started == FailAt)
                {
                    throw new InvalidOperationException("the queue is away");
                }

                await Task.Delay(SendTime, cancellationToken);

                lock (_gate)
                {
                    Changes.Add(change);
                }
            }
            finally
            {
                lock (_gate)
                {
                    _inFlight--;
                }
            }
        }

        public Task PublishFinishedAsync(PipelineExecution execution, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                ChangesBeforeFinished = Changes.Count;
                Finished.Add(execution.RunId);
            }

            return Task.CompletedTask;
        }
    }
}
