using DurablePipelines.Definitions;
using DurablePipelines.Records;

namespace DurablePipelines.LocalDurable;

/// <summary>
/// The record of a run while it runs, rebuilt from its status changes, so <c>GET /api/runs/{id}</c> shows
/// live statuses, attempts and errors. Outputs appear with the final record, which replaces this one.
/// </summary>
public sealed class LiveRecordBuilder
{
    private readonly PipelineDefinition _definition;
    private readonly SortedDictionary<int, ResultState> _results = [];
    private PipelineExecution _run;

    /// <summary>Starts from the run's first record.</summary>
    public LiveRecordBuilder(PipelineExecution initial, PipelineDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _run = initial;
        _definition = definition;
    }

    /// <summary>Applies one status change.</summary>
    public void Apply(StateChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.PipelineResult is not { } index)
        {
            // The run's final status comes only with the final record (outputs included): a live record that
            // said Succeeded would show pollers a record without outputs, and free the run id for a new start
            // before the final record lands on it.
            _run = _run with
            {
                Status = change.Status.IsFinal() ? RunStatus.Running : change.Status,
                StartedAt = change.Action == "Started" ? change.Time : _run.StartedAt,
                Error = change.Error ?? _run.Error,
            };
            return;
        }

        if (!_results.TryGetValue(index, out var result))
        {
            _results[index] = result = new ResultState(_definition);
        }

        if (change.Task is null)
        {
            result.Status = change.Status;
            result.Item = change.Item ?? result.Item;
            result.StartedAt ??= change.Time;
            result.FinishedAt = change.Status.IsFinal() ? change.Time : null;
            return;
        }

        var task = result.Tasks[change.Task];
        if (change.TaskResult is not { } r)
        {
            task.Status = change.Status;
            task.StartedAt ??= change.Action == "Started" ? change.Time : null;
            task.FinishedAt = change.Status.IsFinal() ? change.Time : null;
            task.Error = change.Error ?? task.Error;
            return;
        }

        var current = task.Results.TryGetValue(r, out var existing) ? existing : new TaskResult { Index = r };
        task.Results[r] = current with
        {
            Item = change.Item ?? current.Item,
            Status = change.Status,
            Attempts = Math.Max(current.Attempts, change.Attempt ?? 0),
            StartedAt = current.StartedAt ?? change.Time,
            FinishedAt = change.Status.IsFinal() ? change.Time : null,
            Error = change.Error ?? (change.Status == RunStatus.Succeeded ? null : current.Error),
        };
    }

    /// <summary>The record as it stands.</summary>
    public PipelineExecution Build() => _run with
    {
        PipelineResults = [.. _results.Select(p => new PipelineResult
        {
            Index = p.Key,
            Item = p.Value.Item,
            Status = p.Value.Status,
            StartedAt = p.Value.StartedAt,
            FinishedAt = p.Value.FinishedAt,
            TaskExecutions = [.. _definition.Tasks.Select(t => p.Value.Tasks[t.Name].ToRecord(t))],
        })],
    };

    private sealed class ResultState(PipelineDefinition definition)
    {
        public Dictionary<string, TaskState> Tasks { get; } = definition.Tasks.ToDictionary(t => t.Name, _ => new TaskState(), StringComparer.Ordinal);

        public RunStatus Status { get; set; } = RunStatus.Pending;

        public System.Text.Json.Nodes.JsonNode? Item { get; set; }

        public DateTime? StartedAt { get; set; }

        public DateTime? FinishedAt { get; set; }
    }

    private sealed class TaskState
    {
        public RunStatus Status { get; set; } = RunStatus.Pending;

        public DateTime? StartedAt { get; set; }

        public DateTime? FinishedAt { get; set; }

        public TaskError? Error { get; set; }

        public SortedDictionary<int, TaskResult> Results { get; } = [];

        public TaskExecution ToRecord(TaskDefinition definition) => new()
        {
            Task = definition.Name,
            Status = Status,
            StartedAt = StartedAt,
            FinishedAt = FinishedAt,
            Metadata = definition.Metadata,
            Error = Error,
            TaskResults = [.. Results.Values],
        };
    }
}
