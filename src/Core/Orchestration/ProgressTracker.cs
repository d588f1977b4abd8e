using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>
/// Counts per status for one orchestration instance, published as custom status after every change. Publishing
/// is on the hot path of every task result, so a snapshot shares what did not change since the previous one
/// (counts, the running tasks, the failures) instead of copying it again.
/// </summary>
internal sealed class ProgressTracker(IOrchestrationContext context)
{
    private const int MaxFailures = 10;
    private const int MaxRunningTasks = 20;

    private readonly int[] _tasks = new int[5];
    private readonly int[] _results = new int[5];

    // Running tasks in the order they started. Tasks mostly finish in about that order, so the one that
    // finishes is found near the head, and removing it moves nothing.
    private readonly LinkedList<string> _runningTasks = [];
    private readonly Queue<string> _failures = new();

    private StatusCounts? _taskCounts;
    private StatusCounts? _resultCounts;
    private IReadOnlyList<string>? _runningSnapshot = [];
    private IReadOnlyList<string>? _failureSnapshot = [];
    private Func<RunProgress>? _snapshot;
    private RepairDesk? _repairs;

    public RunStatus Status { get; set; } = RunStatus.Running;

    /// <summary>While true, a running instance shows <see cref="RunStatus.Suspended"/>.</summary>
    public bool Suspended { get; set; }

    /// <summary>
    /// Shows the run's suspension as <paramref name="signal"/> receives it, from now on, and on the run's own instance
    /// the results waiting for an operator; publishes on every change of either.
    /// </summary>
    public void Follow(StopSignal signal)
    {
        Suspended = signal.Suspended;
        _repairs = signal.Repairs;
        signal.SuspensionChanged += suspended =>
        {
            Suspended = suspended;
            Publish();
        };
        signal.Repairs.WaitingChanged += Publish;
    }

    public void AddTasks(int count)
    {
        _tasks[(int)RunStatus.Pending] += count;
        _taskCounts = null;
    }

    public void TaskChanged(string task, RunStatus from, RunStatus to)
    {
        _tasks[Slot(from)]--;
        _tasks[Slot(to)]++;
        _taskCounts = null;
        if (to == RunStatus.Running)
        {
            _runningTasks.AddLast(task);
            if (_runningTasks.Count <= MaxRunningTasks)
            {
                _runningSnapshot = null;
            }
        }
        else if (from == RunStatus.Running)
        {
            RemoveRunning(task);
        }
    }

    public void AddResults(int count)
    {
        _results[(int)RunStatus.Pending] += count;
        _resultCounts = null;
    }

    /// <summary>Counts <paramref name="count"/> results a rerun kept from its source run: succeeded, never pending.</summary>
    public void ResultsReused(int count)
    {
        _results[(int)RunStatus.Succeeded] += count;
        _resultCounts = null;
    }

    public void ResultChanged(RunStatus from, RunStatus to)
    {
        _results[Slot(from)]--;
        _results[Slot(to)]++;
        _resultCounts = null;
    }

    public void Failure(string description)
    {
        _failures.Enqueue(description);
        if (_failures.Count > MaxFailures)
        {
            _failures.Dequeue();
        }

        _failureSnapshot = null;
    }

    /// <summary>Publishes the progress as it stands when the runner builds it (see <see cref="IOrchestrationContext.SetCustomStatus(Func{RunProgress})"/>).</summary>
    public void Publish() => context.SetCustomStatus(_snapshot ??= Snapshot);

    private RunProgress Snapshot() => new()
    {
        InstanceId = context.InstanceId,
        Status = Suspended && Status == RunStatus.Running ? RunStatus.Suspended : Status,
        Tasks = _taskCounts ??= Counts(_tasks),
        Results = _resultCounts ??= Counts(_results),
        RunningTasks = _runningSnapshot ??= RunningSnapshot(),
        Failures = _failureSnapshot ??= [.. _failures],
        Waiting = _repairs?.Listed ?? [],
        WaitingCount = _repairs?.WaitingCount ?? 0,
        UpdatedAt = context.CurrentUtcDateTime,
    };

    /// <summary>Removes the first entry of <paramref name="task"/>; a new snapshot is needed only if it was shown.</summary>
    private void RemoveRunning(string task)
    {
        var position = 0;
        for (var node = _runningTasks.First; node is not null; node = node.Next, position++)
        {
            if (string.Equals(node.Value, task, StringComparison.Ordinal))
            {
                _runningTasks.Remove(node);
                if (position < MaxRunningTasks)
                {
                    _runningSnapshot = null;
                }

                return;
            }
        }
    }

    private string[] RunningSnapshot()
    {
        var snapshot = new string[Math.Min(MaxRunningTasks, _runningTasks.Count)];
        var current = _runningTasks.First;
        for (var i = 0; i < snapshot.Length; i++, current = current!.Next)
        {
            snapshot[i] = current!.Value;
        }

        return snapshot;
    }

    private static int Slot(RunStatus status) => status == RunStatus.Terminated ? (int)RunStatus.Cancelled : (int)status;

    private static StatusCounts Counts(int[] c) => new(c[0], c[1], c[2], c[3], c[4]);
}
