namespace DurablePipelines.LocalDurable;

/// <summary>
/// Starts the local host's runs at most <c>limit</c> at a time, in the order they were added; the rest wait in
/// line. A run can leave the line early (a cancelled run only records that it ended) and, when the host stops,
/// the ones still waiting are dropped without running: they are stored as Pending and resume at the next start.
/// </summary>
internal sealed class RunQueue
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Ticket> _waiting = [];
    private readonly int _limit;
    private int _running;
    private bool _closed;

    public RunQueue(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _limit = limit;
    }

    /// <summary>Runs executing now.</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>Runs waiting for a slot.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>
    /// Adds a run; it starts now when a slot is free (or <see cref="StartNow"/> was called for it), else when the
    /// runs ahead of it have started and one ends. After <see cref="Close"/>, it is dropped at once.
    /// </summary>
    public void Add(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        lock (_gate)
        {
            if (_closed)
            {
                ticket.Drop();
                return;
            }

            if (_running >= _limit && !ticket.Urgent)
            {
                ticket.Node = _waiting.AddLast(ticket);
                return;
            }

            _running++;
        }

        Launch(ticket);
    }

    /// <summary>Starts a run now, slot or not, if it waits (or as soon as it is added); does nothing to one that has started.</summary>
    public void StartNow(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        lock (_gate)
        {
            ticket.Urgent = true;
            if (_closed || ticket.Node is null)
            {
                return;
            }

            _waiting.Remove(ticket.Node);
            ticket.Node = null;
            _running++;
        }

        Launch(ticket);
    }

    /// <summary>Drops every waiting run and refuses new ones; runs already executing go on.</summary>
    public void Close()
    {
        List<Ticket> dropped;
        lock (_gate)
        {
            _closed = true;
            dropped = [.. _waiting];
            _waiting.Clear();
        }

        foreach (var ticket in dropped)
        {
            ticket.Node = null;
            ticket.Drop();
        }
    }

    private void Launch(Ticket ticket) => _ = ExecuteAsync(ticket);

    private async Task ExecuteAsync(Ticket ticket)
    {
        Exception? failure = null;
        try
        {
            // Off the caller's thread: an admission answers its request without waiting for the run.
            await Task.Run(ticket.Run);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        // The slot is free before anyone awaiting the run sees it end.
        Release();
        if (failure is null)
        {
            ticket.Done.TrySetResult();
        }
        else
        {
            ticket.Done.TrySetException(failure);
        }
    }

    private void Release()
    {
        var next = new List<Ticket>();
        lock (_gate)
        {
            _running--;
            while (!_closed && _running < _limit && _waiting.First is { } first)
            {
                _waiting.RemoveFirst();
                first.Value.Node = null;
                _running++;
                next.Add(first.Value);
            }
        }

        foreach (var ticket in next)
        {
            Launch(ticket);
        }
    }

    /// <summary>A run for the queue.</summary>
    public sealed class Ticket(Func<Task> run)
    {

        /// <summary>Completes when the run has ended, or at once when it was dropped without running.</summary>
        public Task Completion => Done.Task;

        /// <summary>Whether the run was dropped (the host stopped while it waited).</summary>
        public bool Dropped { get; private set; }

        internal Func<Task> Run { get; } = run;

        internal bool Urgent { get; set; }

        internal TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal LinkedListNode<Ticket>? Node { get; set; }

        internal void Drop()
        {
            Dropped = true;
            Done.TrySetResult();
        }
    }
}
