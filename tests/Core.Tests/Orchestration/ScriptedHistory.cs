using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Orchestration;

/// <summary>What one scripted execution recorded: calls in order, completion order, results by key.</summary>
internal sealed class ScriptedHistory
{
    private readonly Dictionary<string, TaskCompletionSource<object?>> _eventWaits = new(StringComparer.Ordinal);
    private long _ticks;
    private int _guids;

    public bool Replaying { get; init; }

    /// <summary>The runner's limit the orchestration is given; unbounded, as on Durable, unless a test sets one.</summary>
    public int MaxConcurrentActivities { get; init; } = int.MaxValue;

    public List<string> Calls { get; } = [];

    public List<PendingActivity> Pending { get; } = [];

    public List<string> CompletionOrder { get; } = [];

    public Dictionary<string, object?> Results { get; } = new(StringComparer.Ordinal);

    public List<StateChange> Changes { get; } = [];

    public int StatusUpdates { get; set; }

    /// <summary>The most activity calls that were in flight at once.</summary>
    public int MostPending { get; private set; }

    public DateTime Now() => new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc).AddTicks(Interlocked.Increment(ref _ticks) * TimeSpan.TicksPerMillisecond);

    /// <summary>
    /// Raises <paramref name="name"/> on <paramref name="instanceId"/>: the wait for it completes with
    /// <paramref name="payload"/>, and what it continues runs before this returns. False when the instance does not
    /// wait for it.
    /// </summary>
    public bool Raise(string instanceId, string name, object? payload)
    {
        if (!_eventWaits.Remove($"{instanceId}|{name}", out var wait))
        {
            return false;
        }

        wait.SetResult(payload);
        return true;
    }

    /// <summary>An instance's wait for an event, completed by <see cref="Raise"/>.</summary>
    public Task<object?> WaitForEvent(string instanceId, string name, CancellationToken cancellationToken)
    {
        var wait = new TaskCompletionSource<object?>();
        _eventWaits[$"{instanceId}|{name}"] = wait;
        cancellationToken.Register(() => wait.TrySetCanceled(cancellationToken));
        return wait.Task;
    }

    public Guid NewGuid() => new($"00000000-0000-0000-0000-{Interlocked.Increment(ref _guids):D12}");

    /// <summary>
    /// Runs the orchestration to its end. <paramref name="pick"/> chooses which pending activity completes next;
    /// <paramref name="execute"/> gives its result.
    /// </summary>
    public T Drive<T>(Func<ScriptedOrchestrationContext, Task<T>> orchestration, Func<IReadOnlyList<PendingActivity>, int> pick, Func<PendingActivity, object?> execute) =>
        Task.Run(() =>
        {
            // One thread and one queue of continuations, as on Durable's orchestration thread: every await in
            // orchestration code resumes through this queue, and the test completes one activity at a time
            // only when the queue is empty.
            var pump = new SingleThreadedContext();
            SynchronizationContext.SetSynchronizationContext(pump);
            var task = orchestration(new ScriptedOrchestrationContext(this, "run-1"));
            while (true)
            {
                pump.RunPending();
                if (task.IsCompleted)
                {
                    break;
                }

                if (Pending.Count == 0)
                {
                    throw new InvalidOperationException("the orchestration waits, but no activity is pending; calls so far:\n" + string.Join("\n", Calls));
                }

                MostPending = Math.Max(MostPending, Pending.Count);
                var index = pick(Pending);
                var next = Pending[index];
                Pending.RemoveAt(index);
                var result = Task.Run(() => execute(next)).GetAwaiter().GetResult();
                Results[next.Input.Key] = result;
                CompletionOrder.Add(next.Input.Key);
                next.Completion.SetResult(result);
            }

            return task.GetAwaiter().GetResult();
        }).GetAwaiter().GetResult();

    private sealed class SingleThreadedContext : SynchronizationContext
    {
        private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();

        public override void Post(SendOrPostCallback d, object? state)
        {
            lock (_queue)
            {
                _queue.Enqueue((d, state));
            }
        }

        public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();

        public void RunPending()
        {
            while (true)
            {
                (SendOrPostCallback Callback, object? State) next;
                lock (_queue)
                {
                    if (!_queue.TryDequeue(out next))
                    {
                        return;
                    }
                }

                next.Callback(next.State);
            }
        }
    }

    internal sealed record PendingActivity(string Name, IActivityInput Input, TaskCompletionSource<object?> Completion);
}
