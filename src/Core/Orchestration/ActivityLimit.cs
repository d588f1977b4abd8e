using System.Threading.Tasks.Sources;

namespace DurablePipelines.Orchestration;

/// <summary>
/// How much work one orchestration instance keeps in flight: activity calls, one slot each, and the sub-orchestrations
/// it gives a share of its slots to. The orchestration waits here, in call order, before it makes a call, so every call
/// it makes starts at once, as on Durable: a call not made yet has not started, and the check made when a slot comes
/// (has a result of this task failed, has the run stopped) is made as the work really starts (rules 4 and 6).
/// </summary>
/// <remarks>
/// A slot freed while work waits goes to the first waiter, which resumes in a later step of the orchestration than the
/// one that freed it: the result that freed it is seen first, with everything it changed. Unbounded on Durable, where
/// the engine bounds activities itself; nothing waits there, so the calls and their order are the same in every replay.
/// Used only as orchestration code: continuations run one at a time, so it takes no lock.
/// </remarks>
internal sealed class ActivityLimit
{
    private readonly Queue<Waiter> _waiting = new();

    // Waiters are reused: on a busy limit most task results wait once, and a wide run has as many waiting at a
    // time as tasks started and not yet begun (see TaskStarts), not one per result.
    private readonly Stack<Waiter> _idle = new();
    private int _free;

    /// <param name="capacity">Slots; <see cref="int.MaxValue"/> for no limit.</param>
    public ActivityLimit(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _free = capacity;
    }

    /// <summary>How many slots there are.</summary>
    public int Capacity { get; }

    /// <summary>True when nothing ever waits.</summary>
    public bool Unbounded => Capacity == int.MaxValue;

    /// <summary>
    /// Takes up to <paramref name="wanted"/> slots once at least one is free and no earlier taker waits; returns how
    /// many it took (all of them when unbounded). Give them back with <see cref="Release"/>.
    /// </summary>
    public ValueTask<int> TakeAsync(int wanted = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wanted, 1);
        if (Unbounded)
        {
            return new ValueTask<int>(wanted);
        }

        if (_free > 0 && _waiting.Count == 0)
        {
            return new ValueTask<int>(Take(wanted));
        }

        var waiter = _idle.TryPop(out var idle) ? idle : new Waiter(this);
        _waiting.Enqueue(waiter);
        return waiter.Wait(wanted);
    }

    /// <summary>Gives back <paramref name="count"/> slots, handing them to the takers waiting, first come first served.</summary>
    public void Release(int count = 1)
    {
        if (Unbounded)
        {
            return;
        }

        _free += count;
        while (_free > 0 && _waiting.TryDequeue(out var next))
        {
            next.SetResult(Take(next.Wanted));
        }
    }

    /// <summary>Calls an activity in a slot of its own: waits for one, and frees it when the call returns.</summary>
    public async Task<TResult> CallAsync<TResult>(IOrchestrationContext context, string name, IActivityInput input)
    {
        await TakeAsync();
        try
        {
            return await context.CallActivityAsync<TResult>(name, input);
        }
        finally
        {
            Release();
        }
    }

    private int Take(int wanted)
    {
        var taken = Math.Min(wanted, _free);
        _free -= taken;
        return taken;
    }

    /// <summary>
    /// A taker waiting. Its continuation is posted to the orchestration's scheduler, never run inside the step that
    /// releases; it goes back to the idle ones once the taker has its slots.
    /// </summary>
    private sealed class Waiter(ActivityLimit owner) : IValueTaskSource<int>
    {
        private ManualResetValueTaskSourceCore<int> _core = new() { RunContinuationsAsynchronously = true };

        public int Wanted { get; private set; }

        public ValueTask<int> Wait(int wanted)
        {
            Wanted = wanted;
            return new ValueTask<int>(this, _core.Version);
        }

        public void SetResult(int taken) => _core.SetResult(taken);

        public int GetResult(short token)
        {
            var taken = _core.GetResult(token);
            _core.Reset();
            owner._idle.Push(this);
            return taken;
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
