using System.Threading.Channels;
using DurablePipelines.Definitions;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.LocalDurable;

/// <summary>
/// The local host's reporter: keeps the run's record and log in the run store while it runs. Calls from the
/// orchestration only enqueue; a pump publishes run- and task-level changes as events at once (pipeline-result
/// changes too when the pipeline has an iterator; without one, pipeline result 0 repeats the run), and writes the
/// log rows and the live record together at most once per <c>flushInterval</c>, the first time one interval after
/// the run starts. A run that ends within that interval writes its log and record once; a long wait between
/// changes never leaves the stored record behind them by more than one interval. The end of the run is written
/// at once, then published. Rows already in the log (a resumed run replays its history) are not written twice.
/// </summary>
internal sealed class StoreReporter : IPipelineReporter
{
    private readonly IRunStore _store;
    private readonly IRunEventPublisher? _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _flushInterval;
    private readonly bool _publishPipelineResults;
    private readonly LiveRecordBuilder _record;
    private readonly HashSet<string> _logged;
    private readonly string _runId;
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });

    public StoreReporter(IRunStore store, PipelineExecution initial, PipelineDefinition definition, IReadOnlyList<StateChange> existingLog, IRunEventPublisher? events, TimeProvider time, ILogger logger, TimeSpan flushInterval)
    {
        _store = store;
        _events = events;
        _time = time;
        _logger = logger;
        _flushInterval = flushInterval;
        _publishPipelineResults = definition.Iterator is not null;
        _runId = initial.RunId;
        _record = new LiveRecordBuilder(initial, definition);
        _logged = [.. existingLog.Select(Key)];
        foreach (var row in existingLog)
        {
            _record.Apply(row);
        }

        Completion = PumpAsync();
    }

    /// <summary>Completes when the final record is stored.</summary>
    public Task Completion { get; }

    public void StateChanged(StateChange change) => _queue.Writer.TryWrite(change);

    public void Progress(RunProgress progress)
    {
    }

    public void Finished(PipelineExecution execution)
    {
        _queue.Writer.TryWrite(execution);
        _queue.Writer.TryComplete();
    }

    /// <summary>Stops without a final record (the host is shutting down; the run resumes on restart).</summary>
    public void Abandon() => _queue.Writer.TryComplete();

    private static string Key(StateChange c) => $"{c.PipelineResult}|{c.Task}|{c.TaskResult}|{c.Attempt}|{c.Action}";

    private bool Publishes(StateChange change) =>
        change.TaskResult is null && (change.PipelineResult is null || change.Task is not null || _publishPipelineResults);

    private async Task PumpAsync()
    {
        var rows = new List<StateChange>();
        var due = _time.GetUtcNow() + _flushInterval;
        PipelineExecution? final = null;
        var reader = _queue.Reader;
        while (await WaitAsync(reader, rows.Count > 0, due))
        {
            while (reader.TryRead(out var item))
            {
                if (item is PipelineExecution execution)
                {
                    final = execution;
                    continue;
                }

                var change = (StateChange)item;
                if (!_logged.Add(Key(change)))
                {
                    continue;
                }

                _record.Apply(change);
                rows.Add(change);
                if (Publishes(change))
                {
                    await PublishAsync(e => e.PublishStateChangedAsync(change, CancellationToken.None));
                }
            }

            if (rows.Count > 0 && final is null && _time.GetUtcNow() >= due)
            {
                await WriteAsync(rows);
                await SaveAsync(_record.Build());
                due = _time.GetUtcNow() + _flushInterval;
            }
        }

        var unsaved = rows.Count > 0;
        await WriteAsync(rows);
        if (final is not null)
        {
            await SaveAsync(final);
            await PublishAsync(e => e.PublishFinishedAsync(final, CancellationToken.None));
        }
        else if (unsaved)
        {
            await SaveAsync(_record.Build());
        }
    }

    /// <summary>
    /// Waits for more changes; with unwritten ones, no later than <paramref name="due"/>. False once the run has
    /// ended and every change is read.
    /// </summary>
    private async Task<bool> WaitAsync(ChannelReader<object> reader, bool unwritten, DateTimeOffset due)
    {
        if (!unwritten)
        {
            return await reader.WaitToReadAsync();
        }

        var wait = due - _time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            // Due now: flush, unless the run has ended and everything is read (the end writes what is left).
            return !reader.Completion.IsCompleted;
        }

        using var timeout = new CancellationTokenSource(wait, _time);
        try
        {
            return await reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return true;
        }
    }

    private async Task WriteAsync(List<StateChange> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        try
        {
            await _store.AppendLogAsync(_runId, [.. rows], CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.StoreWriteFailed(_logger, _runId, "log", ex.Message);
        }

        rows.Clear();
    }

    private async Task SaveAsync(PipelineExecution record)
    {
        try
        {
            await _store.SaveAsync(record, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.StoreWriteFailed(_logger, _runId, "record", ex.Message);
        }
    }

    private async Task PublishAsync(Func<IRunEventPublisher, Task> publish)
    {
        if (_events is null)
        {
            return;
        }

        try
        {
            await publish(_events);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.StoreWriteFailed(_logger, _runId, "event", ex.Message);
        }
    }
}
