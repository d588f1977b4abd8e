using System.Collections.Concurrent;
using DurablePipelines.Definitions;
using DurablePipelines.LocalDurable;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DurablePipelines.Tests.LocalDurable;

public sealed class StoreReporterTests
{
    private const string RunId = "r1";
    private static readonly DateTime T0 = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private static readonly PipelineDefinition OneTask = new PipelineBuilder("one").Task("t", "echo").Build();

    private readonly CountingRunStore _store = new();
    private readonly RecordingPublisher _events = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(T0));

    private StoreReporter Reporter(PipelineDefinition definition, IReadOnlyList<StateChange>? existingLog = null) =>
        new(_store, Initial(definition), definition, existingLog ?? [], _events, _time, NullLogger.Instance, Interval);

    private static PipelineExecution Initial(PipelineDefinition definition) =>
        RunRecords.Pending(new RunPipelineInput { RunId = RunId, Definition = definition, Runner = LocalRunScheduler.Name, CreatedAt = T0 });

    private static StateChange Change(string action, RunStatus status, int? pipelineResult = null, string? task = null, int? taskResult = null) => new()
    {
        Time = T0,
        RunId = RunId,
        PipelineResult = pipelineResult,
        Task = task,
        TaskResult = taskResult,
        Attempt = taskResult is null ? null : 1,
        Action = action,
        Status = status,
    };

    /// <summary>Every change of a one-task run that succeeds, in the order the orchestration reports them.</summary>
    private static List<StateChange> SucceededRun(int pipelineResults = 1)
    {
        List<StateChange> changes = [Change("Started", RunStatus.Running)];
        for (var p = 0; p < pipelineResults; p++)
        {
            changes.Add(Change("Started", RunStatus.Running, p));
            changes.Add(Change("Started", RunStatus.Running, p, "t"));
            changes.Add(Change("Started", RunStatus.Running, p, "t", 0));
            changes.Add(Change("Succeeded", RunStatus.Succeeded, p, "t", 0));
            changes.Add(Change("Succeeded", RunStatus.Succeeded, p, "t"));
            changes.Add(Change("Succeeded", RunStatus.Succeeded, p));
        }

        changes.Add(Change("Succeeded", RunStatus.Succeeded));
        return changes;
    }

    private static PipelineExecution Final(PipelineDefinition definition) =>
        Initial(definition) with { Status = RunStatus.Succeeded, StartedAt = T0, FinishedAt = T0 };

    [Fact]
    public async Task Finished_WithinTheFirstInterval_WritesTheLogOnceAndSavesOnlyTheFinalRecord()
    {
        var reporter = Reporter(OneTask);
        var changes = SucceededRun();

        changes.ForEach(reporter.StateChanged);
        reporter.Finished(Final(OneTask));
        await reporter.Completion;

        Assert.Equal(1, _store.Appends);
        var saved = Assert.Single(_store.Saved);
        Assert.Equal(RunStatus.Succeeded, saved.Status);
        Assert.Equal(changes, await _store.GetLogAsync(RunId, default));
    }

    [Fact]
    public async Task StateChanged_NoFurtherChangeForAnInterval_SavesTheLiveRecordThen()
    {
        var reporter = Reporter(OneTask);
        reporter.StateChanged(Change("Started", RunStatus.Running));
        reporter.StateChanged(Change("Started", RunStatus.Running, 0));
        reporter.StateChanged(Change("Started", RunStatus.Running, 0, "t"));

        // Nothing more happens (a long task): the stored record must still catch up once the interval is over.
        // Time moves on while the test waits: the pump may set its timer just after one step, from the new time.
        var saved = await Eventually.ValueAsync(
            () =>
            {
                _time.Advance(Interval);
                return _store.Saved.Count > 0 ? _store.Saved[0] : null;
            },
            "the live record saved");

        Assert.Equal(RunStatus.Running, saved.Status);
        Assert.Equal(RunStatus.Running, saved.PipelineResults[0].TaskExecutions[0].Status);
        Assert.Equal(3, (await _store.GetLogAsync(RunId, default)).Count);

        reporter.Finished(Final(OneTask));
        await reporter.Completion;
        Assert.Equal([RunStatus.Running, RunStatus.Succeeded], _store.Saved.Select(r => r.Status));
    }

    [Fact]
    public async Task StateChanged_PipelineWithoutIterator_PublishesRunAndTaskChangesAndOneFinished()
    {
        var reporter = Reporter(OneTask);

        SucceededRun().ForEach(reporter.StateChanged);
        reporter.Finished(Final(OneTask));
        await reporter.Completion;

        Assert.Equal(
            ["run Started", "t Started", "t Succeeded", "run Succeeded", "Finished Succeeded"],
            _events.Published);
    }

    [Fact]
    public async Task StateChanged_PipelineWithIterator_PublishesPipelineResultChangesToo()
    {
        var definition = new PipelineBuilder("each").ForEach("input.regions").Task("t", "echo").Build();
        var reporter = Reporter(definition);

        SucceededRun(pipelineResults: 2).ForEach(reporter.StateChanged);
        reporter.Finished(Final(definition));
        await reporter.Completion;

        Assert.Equal(
            [
                "run Started",
                "0 Started", "t Started", "t Succeeded", "0 Succeeded",
                "1 Started", "t Started", "t Succeeded", "1 Succeeded",
                "run Succeeded", "Finished Succeeded",
            ],
            _events.Published);
    }

    [Fact]
    public async Task StateChanged_RowsAlreadyInTheLog_AreNeitherWrittenNorPublishedAgain()
    {
        // A resumed run replays its history: the rows of the first host are in the log already.
        var changes = SucceededRun();
        var before = changes.Take(4).ToList();
        await _store.AppendLogAsync(RunId, before, default);
        var reporter = Reporter(OneTask, before);

        changes.ForEach(reporter.StateChanged);
        reporter.Finished(Final(OneTask));
        await reporter.Completion;

        Assert.Equal(changes, await _store.GetLogAsync(RunId, default));
        Assert.Equal(["t Succeeded", "run Succeeded", "Finished Succeeded"], _events.Published);
    }

    [Fact]
    public async Task Abandon_WritesTheRowsAndTheLiveRecordButPublishesNoFinished()
    {
        var reporter = Reporter(OneTask);
        var changes = SucceededRun().Take(4).ToList();

        changes.ForEach(reporter.StateChanged);
        reporter.Abandon();
        await reporter.Completion;

        Assert.Equal(changes, await _store.GetLogAsync(RunId, default));
        var saved = Assert.Single(_store.Saved);
        Assert.Equal(RunStatus.Running, saved.Status);
        Assert.DoesNotContain(_events.Published, e => e.StartsWith("Finished", StringComparison.Ordinal));
    }

    /// <summary>An in-memory run store that counts log appends and keeps every saved record.</summary>
    private sealed class CountingRunStore : IRunStore
    {
        private readonly InMemoryRunStore _inner = new();
        private readonly ConcurrentQueue<PipelineExecution> _saved = new();
        private int _appends;

        public int Appends => _appends;

        public IReadOnlyList<PipelineExecution> Saved => [.. _saved];

        public Task<RunClaim> TryCreateAsync(PipelineExecution record, RunPipelineInput? admitted, CancellationToken cancellationToken) =>
            _inner.TryCreateAsync(record, admitted, cancellationToken);

        public Task<RunPipelineInput?> GetAdmittedAsync(string runId, CancellationToken cancellationToken) => _inner.GetAdmittedAsync(runId, cancellationToken);

        public Task SaveAsync(PipelineExecution record, CancellationToken cancellationToken)
        {
            _saved.Enqueue(record);
            return _inner.SaveAsync(record, cancellationToken);
        }

        public Task<PipelineExecution?> GetAsync(string runId, CancellationToken cancellationToken) => _inner.GetAsync(runId, cancellationToken);

        public Task<IReadOnlyList<PipelineExecution>> ListAsync(RunQuery query, CancellationToken cancellationToken) => _inner.ListAsync(query, cancellationToken);

        public Task AppendLogAsync(string runId, IReadOnlyList<StateChange> rows, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _appends);
            return _inner.AppendLogAsync(runId, rows, cancellationToken);
        }

        public Task<IReadOnlyList<StateChange>> GetLogAsync(string runId, CancellationToken cancellationToken) => _inner.GetLogAsync(runId, cancellationToken);
    }

    /// <summary>Events as short text: "run Started", "0 Succeeded" (a pipeline result), "t Started" (a task), "Finished Succeeded".</summary>
    private sealed class RecordingPublisher : IRunEventPublisher
    {
        private readonly ConcurrentQueue<string> _published = new();

        public IReadOnlyList<string> Published => [.. _published];

        public Task PublishStateChangedAsync(StateChange change, CancellationToken cancellationToken)
        {
            var who = change.Task ?? change.PipelineResult?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "run";
            _published.Enqueue($"{who} {change.Action}");
            return Task.CompletedTask;
        }

        public Task PublishFinishedAsync(PipelineExecution execution, CancellationToken cancellationToken)
        {
            _published.Enqueue($"Finished {execution.Status}");
            return Task.CompletedTask;
        }
    }
}
