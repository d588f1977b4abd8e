namespace DurablePipelines.Execution;

/// <summary>
/// Which task results of a run may execute in this process now: any number at once, or one <c>main</c> result alone.
/// A <c>main</c> result waits for the results executing to end, and results that come after it wait for it; results
/// of other runs are not affected.
/// </summary>
public sealed class RunExclusivity
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RunTurns> _runs = new(StringComparer.Ordinal);

    /// <summary>
    /// Waits for a turn of run <paramref name="runId"/>: shared, or <paramref name="alone"/>. Dispose the result when
    /// the attempt has ended. <paramref name="cancellationToken"/> gives up the wait.
    /// </summary>
    public async Task<IDisposable> EnterAsync(string runId, bool alone, CancellationToken cancellationToken)
    {
        TaskCompletionSource turn;
        lock (_gate)
        {
            if (!_runs.TryGetValue(runId, out var run))
            {
                run = new RunTurns();
                _runs.Add(runId, run);
            }

            if (run.Queue.Count == 0 && (alone ? run.Shared == 0 && !run.Alone : !run.Alone))
            {
                Take(run, alone);
                return new Turn(this, runId, alone);
            }

            turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            run.Queue.Enqueue((turn, alone));
        }

        try
        {
            await turn.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                if (!turn.Task.IsCompleted)
                {
                    // Still queued: leave the queue; a turn granted meanwhile is handed back below.
                    turn.TrySetCanceled(cancellationToken);
                }
            }

            if (turn.Task.IsCompletedSuccessfully)
            {
                Leave(runId, alone);
            }

            throw;
        }

        return new Turn(this, runId, alone);
    }

    private static void Take(RunTurns run, bool alone)
    {
        if (alone)
        {
            run.Alone = true;
        }
        else
        {
            run.Shared++;
        }
    }

    private void Leave(string runId, bool alone)
    {
        lock (_gate)
        {
            var run = _runs[runId];
            if (alone)
            {
                run.Alone = false;
            }
            else
            {
                run.Shared--;
            }

            // Grant turns in order: shared ones together, up to the next one alone, which waits for them to end.
            while (run.Queue.TryPeek(out var next))
            {
                if (next.Turn.Task.IsCompleted)
                {
                    run.Queue.Dequeue();
                    continue;
                }

                if (run.Alone || (next.Alone && run.Shared > 0))
                {
                    break;
                }

                run.Queue.Dequeue();
                Take(run, next.Alone);
                next.Turn.TrySetResult();
                if (next.Alone)
                {
                    break;
                }
            }

            if (run.Shared == 0 && !run.Alone && run.Queue.Count == 0)
            {
                _runs.Remove(runId);
            }
        }
    }

    private sealed class RunTurns
    {
        public int Shared { get; set; }

        public bool Alone { get; set; }

        public Queue<(TaskCompletionSource Turn, bool Alone)> Queue { get; } = new();
    }

    private sealed class Turn(RunExclusivity owner, string runId, bool alone) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                owner.Leave(runId, alone);
            }
        }
    }
}
