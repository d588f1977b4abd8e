namespace DurablePipelines.Runners;

/// <summary>
/// How many activities of an in-process run may run at once. A call that finds a slot free takes it at once; the
/// others wait in call order. A slot freed while calls wait is handed over on the orchestration's loop,
/// behind the continuation of the result that freed it (a call hands its result over before it frees its slot), so
/// a waiting call is asked whether it may still start only after the orchestration has seen every result that
/// finished before its turn. A call still waiting has not started: a stop seen meanwhile holds it back (rule 6).
/// </summary>
internal sealed class ActivitySlots(int count, SynchronizationContext orchestration)
{
    private readonly Lock _gate = new();
    private readonly Queue<IWaiter> _waiting = new();
    private int _free = count;

    /// <summary>A call waiting for a slot.</summary>
    public interface IWaiter
    {
        /// <summary>Asked as orchestration code when a slot is handed to the call; false holds the call back.</summary>
        bool Starting();

        /// <summary>The call holds the slot: start it off the orchestration's loop.</summary>
        void Run();

        /// <summary>The call was held back: it never runs and holds no slot.</summary>
        void HoldBack();
    }

    /// <summary>Takes a free slot (true), or queues <paramref name="waiter"/> for one (false).</summary>
    public bool TakeOrWait(IWaiter waiter)
    {
        lock (_gate)
        {
            if (_free > 0)
            {
                _free--;
                return true;
            }

            _waiting.Enqueue(waiter);
            return false;
        }
    }

    /// <summary>Frees a slot. Called only after the result of the call that held it has been handed over.</summary>
    public void Release()
    {
        lock (_gate)
        {
            if (_waiting.Count == 0)
            {
                _free++;
                return;
            }
        }

        orchestration.Post(static s => ((ActivitySlots)s!).HandOver(), this);
    }

    /// <summary>On the orchestration's loop: gives the freed slot to the first waiting call that may still start.</summary>
    private void HandOver()
    {
        while (true)
        {
            IWaiter? next;
            lock (_gate)
            {
                if (!_waiting.TryDequeue(out next))
                {
                    _free++;
                    return;
                }
            }

            if (next.Starting())
            {
                next.Run();
                return;
            }

            next.HoldBack();
        }
    }
}
