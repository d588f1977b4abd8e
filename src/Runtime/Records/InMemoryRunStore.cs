using DurablePipelines.Orchestration;

namespace DurablePipelines.Records;

/// <summary>Run records in process memory, for the CLI and tests.</summary>
public sealed class InMemoryRunStore : IRunStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PipelineExecution> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StateChange>> _logs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunPipelineInput> _admitted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunPipelineInput> _pinned = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<RunClaim> TryCreateAsync(PipelineExecution record, RunPipelineInput? admitted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            if (_records.TryGetValue(record.RunId, out var existing) && !existing.Status.IsFinal())
            {
                return Task.FromResult(new RunClaim(false, existing));
            }

            _records[record.RunId] = record;
            _logs[record.RunId] = [];
            SetAdmitted(record.RunId, admitted);
            _pinned.Remove(record.RunId);
            return Task.FromResult(new RunClaim(true, null));
        }
    }

    /// <inheritdoc />
    public Task PinAsync(RunPipelineInput admitted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admitted);
        lock (_gate)
        {
            _pinned[admitted.RunId] = admitted with { Rerun = null };
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SaveAsync(PipelineExecution record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            _records[record.RunId] = record;
            _admitted.Remove(record.RunId);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> MarkStartedAsync(string runId, DateTime createdAt, DateTime startedAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_records.TryGetValue(runId, out var record) || !RunRecords.CanStart(record, createdAt))
            {
                return Task.FromResult(false);
            }

            _records[runId] = RunRecords.Started(record, startedAt);
            _admitted.Remove(runId);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<RunPipelineInput?> GetAdmittedAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_admitted.GetValueOrDefault(runId));
        }
    }

    /// <inheritdoc />
    public Task<RunPipelineInput?> GetPinnedAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_pinned.GetValueOrDefault(runId));
        }
    }

    /// <inheritdoc />
    public Task<PipelineExecution?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_records.GetValueOrDefault(runId));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PipelineExecution>> ListAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            IReadOnlyList<PipelineExecution> list = [.. _records.Values
                .Where(r => query.Pipeline is null || r.Pipeline == query.Pipeline)
                .Where(r => query.Status is null || r.Status == query.Status)
                .OrderByDescending(r => r.CreatedAt)
                .ThenByDescending(r => r.RunId, StringComparer.Ordinal)
                .Take(Math.Max(query.Top, 1))];
            return Task.FromResult(list);
        }
    }

    /// <inheritdoc />
    public Task AppendLogAsync(string runId, IReadOnlyList<StateChange> rows, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_logs.TryGetValue(runId, out var log))
            {
                _logs[runId] = log = [];
            }

            log.AddRange(rows);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StateChange>> GetLogAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<StateChange> rows = _logs.TryGetValue(runId, out var log) ? [.. log] : [];
            return Task.FromResult(rows);
        }
    }

    private void SetAdmitted(string runId, RunPipelineInput? admitted)
    {
        if (admitted is null)
        {
            _admitted.Remove(runId);
        }
        else
        {
            _admitted[runId] = admitted;
        }
    }
}
