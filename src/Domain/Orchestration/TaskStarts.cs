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
internal sealed class TaskStarts
{
    private readonly TaskGraph _graph;
    private readonly Func<int, Task> _run;
    private readonly Task?[] _runs;
    private readonly int[] _waiting;
    private readonly int[][] _children;
    private readonly Exception?[] _endedBy;
    private readonly Queue<int> _ready = new();
    private bool _starting;

    /// <summary>Prepares to run every task of <paramref name="graph"/> with <paramref name="run"/>.</summary>
    public TaskStarts(TaskGraph graph, Func<int, Task> run)
    {
        _graph = graph;
        _run = run;
        _runs = new Task?[graph.Count];
        _endedBy = new Exception?[graph.Count];
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

        // Once every task before t in topological order has ended, all of t's parents have, so t has started. A run
        // that has ended is not kept: what ended it, if anything, is in _endedBy.
        foreach (var t in _graph.TopologicalOrder)
        {
            var run = _runs[t] ?? throw new InvalidOperationException($"task {t} did not start after its parents ended");
            await run.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
            if (!run.IsCompletedSuccessfully)
            {
                _endedBy[t] ??= run.Exception?.InnerException ?? new TaskCanceledException(run);
            }

            _runs[t] = null;
        }

        ThrowFirst(null);
    }

    /// <summary>
    /// An exception filter for a task's run: remembers what ended it, so its children end the same way, and
    /// never catches.
    /// </summary>
    public bool Remember(int t, Exception exception)
    {
        _endedBy[t] = exception;
        return false;
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

    /// <summary>Called as the run of <paramref name="t"/> ends (from its <c>finally</c>): starts the children it was the last parent of.</summary>
    public void Ended(int t)
    {
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

    private void StartReady()
    {
        _starting = true;
        try
        {
            while (_ready.TryDequeue(out var t))
            {
                _runs[t] = _run(t);
            }
        }
        finally
        {
            _starting = false;
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
