using System.Runtime.ExceptionServices;
using DurablePipelines.Graph;

namespace DurablePipelines.Orchestration;

/// <summary>
/// Starts the run of each task of a pipeline result once the runs of all its parents have ended: a count of
/// parents still running per task, instead of every task's run created up front and waiting on its parents'
/// (on a 100,000-task graph those waiting runs and their continuations are most of the work and of the heap).
/// Children whose last parent ended start in topological order, as the continuations they replace did; a run
/// that ends synchronously queues its children instead of starting them from inside itself, so a long chain
/// of cancelled tasks cannot exhaust the stack.
/// </summary>
/// <remarks>
/// At most <c>maxNotBegun</c> runs are started whose work has not begun (their first result still waits for a slot
/// of the <see cref="ActivityLimit"/>); the other ready tasks wait here, as an index each. A runner that runs 64
/// activities at once gains nothing from a thousand ready tasks each holding its context, request and state machine
/// while it waits, and every garbage collection of the run copied them all. Runs whose work has begun are never limited, so a task
/// waiting on a retry's timer or a long handler holds nothing back.
/// </remarks>
internal sealed class TaskStarts
{
    private readonly TaskGraph _graph;
    private readonly Func<int, Task> _run;
    private readonly int _maxNotBegun;
    private readonly int[] _waiting;
    private readonly int[][] _children;
    private readonly Exception?[] _endedBy;
    private readonly bool[] _begun;
    private readonly Queue<int> _ready = new();
    private readonly TaskCompletionSource _allEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _notBegun;
    private int _running;
    private int _ended;
    private bool _starting;

    /// <summary>
    /// Prepares to run every task of <paramref name="graph"/> with <paramref name="run"/>, at most
    /// <paramref name="maxNotBegun"/> of them started and not yet begun (see <see cref="Begun"/>). A run must call
    /// <see cref="Ended"/> as it ends, whatever ends it.
    /// </summary>
    public TaskStarts(TaskGraph graph, Func<int, Task> run, int maxNotBegun = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNotBegun, 1);
        _graph = graph;
        _run = run;
        _maxNotBegun = maxNotBegun;
        _endedBy = new Exception?[graph.Count];
        _begun = new bool[graph.Count];
        _waiting = new int[graph.Count];
        for (var t = 0; t < graph.Count; t++)
        {
            _waiting[t] = graph.Parents[t].Length;
        }

        _children = InStartOrder(graph);
    }

    /// <summary>
    /// Starts the roots and waits until the run of every task has ended; then throws what ended the first run (in
    /// task order) that failed, else the first that was cancelled, as awaiting <c>Task.WhenAll</c> over the runs would.
    /// </summary>
    public async Task RunAllAsync()
    {
        foreach (var t in _graph.TopologicalOrder)
        {
            if (_waiting[t] == 0)
            {
                _ready.Enqueue(t);
            }
        }

        StartReady();
        await _allEnded.Task;
        ThrowFirst(null);
    }

    /// <summary>
    /// Throws what ended a parent's run, as awaiting the parents' runs would: the first parent that failed,
    /// else the first that was cancelled.
    /// </summary>
    public void ThrowIfAParentThrew(int t) => ThrowFirst(_graph.Parents[t]);

    /// <summary>
    /// Throws what ended the first of <paramref name="tasks"/> (every task when null) that failed, else the first that
    /// was cancelled. Runs for every task: it walks the array itself, with no enumerator to allocate.
    /// </summary>
    private void ThrowFirst(int[]? tasks)
    {
        Exception? cancelled = null;
        var count = tasks?.Length ?? _endedBy.Length;
        for (var i = 0; i < count; i++)
        {
            if (_endedBy[tasks is null ? i : tasks[i]] is { } e)
            {
                if (e is not OperationCanceledException)
                {
                    ExceptionDispatchInfo.Throw(e);
                }

                cancelled ??= e;
            }
        }

        if (cancelled is not null)
        {
            ExceptionDispatchInfo.Throw(cancelled);
        }
    }

    /// <summary>
    /// Called when the work of <paramref name="t"/>'s run begins (its first result got a slot, or it runs
    /// something before its results): it no longer counts against the limit, and another ready task may start.
    /// </summary>
    public void Begun(int t)
    {
        if (_begun[t])
        {
            return;
        }

        _begun[t] = true;
        _notBegun--;
        if (!_starting)
        {
            StartReady();
        }
    }

    /// <summary>
    /// Called as the run of <paramref name="t"/> ends (from its <c>finally</c>), with what ended it when it threw:
    /// its children end the same way, and <see cref="RunAllAsync"/> throws it. Starts the children it was the last
    /// parent of.
    /// </summary>
    public void Ended(int t, Exception? endedBy = null)
    {
        _endedBy[t] = endedBy;
        if (!_begun[t])
        {
            _begun[t] = true;
            _notBegun--;
        }

        _running--;
        _ended++;
        foreach (var child in _children[t])
        {
            if (--_waiting[child] == 0)
            {
                _ready.Enqueue(child);
            }
        }

        if (!_starting)
        {
            StartReady();
        }
    }

    /// <summary>
    /// Starts ready tasks, in the order they became ready, while the limit allows; completes the wait of
    /// <see cref="RunAllAsync"/> once every run has ended, and fails it loudly if some task can never start.
    /// </summary>
    private void StartReady()
    {
        _starting = true;
        try
        {
            while (_notBegun < _maxNotBegun && _ready.TryDequeue(out var t))
            {
                _notBegun++;
                _running++;
                _ = _run(t);
            }
        }
        finally
        {
            _starting = false;
        }

        if (_ended == _graph.Count)
        {
            _allEnded.TrySetResult();
        }
        else if (_running == 0 && _ready.Count == 0)
        {
            _allEnded.TrySetException(new InvalidOperationException($"{_graph.Count - _ended} of {_graph.Count} tasks never started: no run is left to end"));
        }
    }

    /// <summary>Each task's children sorted by their place in the topological order.</summary>
    private static int[][] InStartOrder(TaskGraph graph)
    {
        var order = graph.TopologicalOrder;
        var identity = true;
        for (var i = 0; i < order.Count && identity; i++)
        {
            identity = order[i] == i;
        }

        if (identity)
        {
            return [.. graph.Children];
        }

        var rank = new int[graph.Count];
        for (var i = 0; i < order.Count; i++)
        {
            rank[order[i]] = i;
        }

        return [.. graph.Children.Select(c => c.OrderBy(child => rank[child]).ToArray())];
    }
}
