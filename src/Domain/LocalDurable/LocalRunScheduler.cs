using System.Collections.Concurrent;
using System.Text.Json;
using DurablePipelines.Activities;
using DurablePipelines.Api;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurablePipelines.LocalDurable;

/// <summary>
/// The local host's durable runner. Each run executes the one orchestration algorithm in process, with every
/// activity result checkpointed as soon as it finishes (<see cref="ICheckpointStore"/>) and the record and
/// log kept in the <see cref="IRunStore"/>. After a crash or a restart, <see cref="ResumeAsync"/> picks up every
/// unfinished run and replays its recorded results instead of running them again; results that were running
/// when the host died run again (at-least-once, as on Azure). At most <see cref="PipelineOptions.MaxActiveRuns"/>
/// runs execute at once; admitted runs beyond that wait, Pending, in the order they were admitted (a burst of
/// starts never becomes thousands of runs competing for the same storage).
/// </summary>
public sealed class LocalRunScheduler : IRunScheduler, IAsyncDisposable
{
    /// <summary>The checkpoint key of a run's orchestration input.</summary>
    public const string InputKey = "$input";

    /// <summary>The runner's name in records.</summary>
    public const string Name = "local";

    // How far the stored live record and log may lag behind a run (StoreReporter).
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);

    private readonly PipelineActivities _activities;
    private readonly ICheckpointStore _checkpoints;
    private readonly IRunStore _store;
    private readonly IRunEventPublisher? _events;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, ActiveRun> _active = new(StringComparer.Ordinal);
    private readonly RunQueue _queue;
    private int _disposed;

    /// <summary>Creates the runner over its stores.</summary>
    public LocalRunScheduler(PipelineActivities activities, ICheckpointStore checkpoints, IRunStore store, IOptions<PipelineOptions> options, TimeProvider time, ILogger<LocalRunScheduler> logger, IRunEventPublisher? events = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _activities = activities;
        _checkpoints = checkpoints;
        _store = store;
        _events = events;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _queue = new RunQueue(_options.MaxActiveRuns);
    }

    /// <inheritdoc />
    public string RunnerName => Name;

    /// <summary>Ids of the runs executing in this process or waiting for a slot.</summary>
    public IReadOnlyCollection<string> ActiveRuns => [.. _active.Keys];

    /// <summary>How many admitted runs wait for a slot.</summary>
    public int WaitingRuns => _queue.Waiting;

    /// <inheritdoc />
    /// <remarks>
    /// Nothing is written here: the claim's record already carries the run as admitted
    /// (<see cref="IRunStore.GetAdmittedAsync"/>), and the run checkpoints its input when it starts.
    /// </remarks>
    public async Task ScheduleAsync(RunPipelineInput run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);

        // The id was claimed, so an earlier run with it has stored its final record, but may not have left
        // _active yet: wait for that, or Start would take the new run for a duplicate and drop it.
        if (_active.TryGetValue(run.RunId, out var previous))
        {
            await previous.Completion.WaitAsync(cancellationToken);
        }

        // The record admission just created is the pending record ExecuteAsync builds from the input: no need to read it back.
        Start(run, null, new Dictionary<string, string>(), []);
    }

    /// <inheritdoc />
    public Task<bool> CancelAsync(string runId, CancellationToken cancellationToken)
    {
        if (_active.TryGetValue(runId, out var active))
        {
            // A run still waiting for a slot leaves the line: all it does now is record that it was cancelled.
            active.Cancel.Cancel();
            _queue.StartNow(active.Ticket);
            return Task.FromResult(true);
        }

        return Task.FromResult(false);
    }

    /// <summary>
    /// Resumes every unfinished run of the store that is not running here, however many: the ones that were
    /// running first, then the ones that waited, oldest first (admission order). Returns how many.
    /// </summary>
    public async Task<int> ResumeAsync(CancellationToken cancellationToken)
    {
        static IEnumerable<PipelineExecution> OldestFirst(IEnumerable<PipelineExecution> records) =>
            records.OrderBy(r => r.CreatedAt).ThenBy(r => r.RunId, StringComparer.Ordinal);

        var unfinished = OldestFirst(await _store.ListAsync(new RunQuery(null, RunStatus.Running, int.MaxValue), cancellationToken))
            .Concat(OldestFirst(await _store.ListAsync(new RunQuery(null, RunStatus.Pending, int.MaxValue), cancellationToken)))
            .Where(r => r.Runner == Name && !_active.ContainsKey(r.RunId))
            .ToList();
        var resumed = 0;
        foreach (var record in unfinished)
        {
            var recorded = await _checkpoints.LoadAllAsync(record.RunId, cancellationToken);
            var run = recorded.TryGetValue(InputKey, out var inputJson)
                ? JsonSerializer.Deserialize<RunPipelineInput>(inputJson, PipelineJson.Options)
                : await _store.GetAdmittedAsync(record.RunId, cancellationToken);
            if (run is null)
            {
                Log.ResumeImpossible(_logger, record.RunId, "neither its input checkpoint nor the run as admitted is stored");
                await _store.SaveAsync(record with
                {
                    Status = RunStatus.Failed,
                    FinishedAt = _time.GetUtcNow().UtcDateTime,
                    Error = new TaskError("DurablePipelines.ResumeFailed", "the run could not resume: neither its input checkpoint nor the run as admitted is stored; start it again"),
                }, cancellationToken);
                continue;
            }

            var log = await _store.GetLogAsync(record.RunId, cancellationToken);
            Log.RunResumed(_logger, record.RunId, recorded.Count - (recorded.ContainsKey(InputKey) ? 1 : 0));
            Start(run, record, recorded, log);
            resumed++;
        }

        return resumed;
    }

    /// <summary>Waits until a run executing here has finished and its record is stored.</summary>
    public Task WaitForRunAsync(string runId) => _active.TryGetValue(runId, out var active) ? active.Completion : Task.CompletedTask;

    /// <summary>
    /// Runs to the end with the caller's reporter instead of the store's, checkpointing as usual (the
    /// conformance suite and benchmarks use this).
    /// </summary>
    public async Task<PipelineExecution> RunToEndAsync(RunPipelineInput run, IPipelineReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await _checkpoints.SaveAsync(run.RunId, InputKey, JsonSerializer.Serialize(run, PipelineJson.Options), cancellationToken);
        var recorded = await _checkpoints.LoadAllAsync(run.RunId, cancellationToken);
        var journal = new CheckpointJournal(run.RunId, _checkpoints, recorded, _stopping.Token);
        return await Runner(journal).RunAsync(run, reporter, cancellationToken);
    }

    /// <summary>
    /// Stops: runs still executing are left as they are, to resume at the next start. Safe to call twice: the
    /// serve host's stop calls it, and disposing the host's container calls it again.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Close();
        await _stopping.CancelAsync();
        var running = _active.Values.Select(a => a.Completion).ToArray();
        await Task.WhenAny(Task.WhenAll(running), Task.Delay(TimeSpan.FromSeconds(5), _time, CancellationToken.None));
        _stopping.Dispose();
    }

    private InProcessRunner Runner(CheckpointJournal journal) =>
        new(Name, _options.MaxParallelism, _activities, _time, journal);

    private void Start(RunPipelineInput run, PipelineExecution? record, IReadOnlyDictionary<string, string> recorded, IReadOnlyList<StateChange> log)
    {
        var active = new ActiveRun();
        active.Ticket = new RunQueue.Ticket(() => ExecuteAsync(run, record, recorded, log, active));
        if (!_active.TryAdd(run.RunId, active))
        {
            active.Cancel.Dispose();
            return;
        }

        _queue.Add(active.Ticket);
        if (active.Ticket.Dropped)
        {
            Forget(run.RunId, active);
        }
    }

    private void Forget(string runId, ActiveRun active)
    {
        _active.TryRemove(new KeyValuePair<string, ActiveRun>(runId, active));
        active.Cancel.Dispose();
    }

    private async Task ExecuteAsync(RunPipelineInput run, PipelineExecution? record, IReadOnlyDictionary<string, string> recorded, IReadOnlyList<StateChange> log, ActiveRun active)
    {
        var initial = record ?? RunRecords.Pending(run with { Runner = Name });
        var reporter = new StoreReporter(_store, initial, run.Definition, log, _events, _time, _logger, FlushInterval);
        var journal = new CheckpointJournal(run.RunId, _checkpoints, recorded, _stopping.Token);
        try
        {
            // Before anything the run does can save over the record that carries the run as admitted.
            if (!recorded.ContainsKey(InputKey))
            {
                await _checkpoints.SaveAsync(run.RunId, InputKey, JsonSerializer.Serialize(run, PipelineJson.Options), _stopping.Token);
            }

            var execution = await Runner(journal).RunAsync(run, reporter, active.Cancel.Token);
            await reporter.Completion;
            Log.RunFinished(_logger, run.RunId, execution.Status, journal.Executed, journal.Replayed);
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            reporter.Abandon();
            await reporter.Completion;
            Log.RunLeftForRestart(_logger, run.RunId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.RunCrashed(_logger, run.RunId, ex);
            var crashed = RunRecords.Crashed(run with { Runner = Name }, initial.StartedAt, _time.GetUtcNow().UtcDateTime, ex);
            reporter.StateChanged(RunRecords.CrashedChange(crashed));
            reporter.Finished(crashed);
            await reporter.Completion;
        }
        finally
        {
            Forget(run.RunId, active);
        }
    }

    private sealed class ActiveRun
    {
        public CancellationTokenSource Cancel { get; } = new();

        public RunQueue.Ticket Ticket { get; set; } = null!;

        public Task Completion => Ticket.Completion;
    }
}
