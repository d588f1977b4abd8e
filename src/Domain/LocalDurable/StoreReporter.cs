using System.Threading.Channels;
using DurablePipelines.Definitions;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.LocalDurable;

/// <summary>
/// The local host's reporter: keeps the run's record and log in the run store while it runs. Calls from the
/// orchestration only enqueue; a pump writes log rows in batches, saves the live record at most every
/// <c>saveInterval</c>, and publishes run-, item- and task-level changes and the end of the run as events.
/// Rows already in the log (a resumed run replays its history) are not written twice.
/// </summary>
internal sealed class StoreReporter : IPipelineReporter
{
    private readonly IRunStore _store;
    private readonly IRunEventPublisher? _events;
    private readonly ILogger _logger;
    private readonly TimeSpan _saveInterval;
    private readonly LiveRecordBuilder _record;
    private readonly HashSet<string> _logged;
    private readonly string _runId;
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });

    public StoreReporter(IRunStore store, PipelineExecution initial, PipelineDefinition definition, IReadOnlyList<StateChange> existingLog, IRunEventPublisher? events, ILogger logger, TimeSpan saveInterval)
    {
        _store = store;
        _events = events;
        _logger = logger;
        _saveInterval = saveInterval;
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

    private async Task PumpAsync()
    {
        var rows = new List<StateChange>();
        var lastSave = DateTime.MinValue;
        var dirty = false;
        PipelineExecution? final = null;
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
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
                dirty = true;
                if (change.TaskResult is null)
                {
                    await PublishAsync(e => e.PublishStateChangedAsync(change, CancellationToken.None));
                }
            }

            await WriteAsync(rows);
            if (dirty && DateTime.UtcNow - lastSave >= _saveInterval)
            {
                await SaveAsync(_record.Build());
                lastSave = DateTime.UtcNow;
                dirty = false;
            }
        }

        await WriteAsync(rows);
        if (final is not null)
        {
            await SaveAsync(final);
            await PublishAsync(e => e.PublishFinishedAsync(final, CancellationToken.None));
        }
        else if (dirty)
        {
            await SaveAsync(_record.Build());
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
