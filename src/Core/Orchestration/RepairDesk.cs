using DurablePipelines.Records;

namespace DurablePipelines.Orchestration;

/// <summary>
/// The task results of one orchestration instance that wait for an operator, and, on the run's own instance (whose id
/// is the run id), the list of every waiting result of the run. An operator's <see cref="RepairMessage"/> is raised on
/// the run's instance, which sends it on to the instance where the result waits; each instance tells the run's
/// instance when one of its results begins or ends waiting (<see cref="RepairWaitNotice"/>). A repair for a result
/// that no longer waits (its timeout came first) is dropped.
/// </summary>
internal sealed class RepairDesk
{
    /// <summary>The most waiting results the run's progress lists; <see cref="RunProgress.WaitingCount"/> counts them all.</summary>
    public const int MaxListed = 50;

    private readonly IOrchestrationContext _context;
    private readonly string _runId;
    private readonly Dictionary<(int, string, int), TaskCompletionSource<RepairMessage>> _local = [];

    // On the run's instance only: every waiting result of the run with the instance it waits in, longest waiting first.
    private readonly List<(string InstanceId, WaitingResult Result)>? _waiting;

    // What the progress lists, made again only after a change: the progress is published after every result.
    private IReadOnlyList<WaitingResult> _listed = [];

    /// <param name="context">The instance's port.</param>
    /// <param name="runId">The run, whose id is its own instance's.</param>
    /// <param name="stopWatching">Ends the watch when the instance ends.</param>
    public RepairDesk(IOrchestrationContext context, string runId, CancellationToken stopWatching)
    {
        _context = context;
        _runId = runId;
        if (string.Equals(context.InstanceId, runId, StringComparison.Ordinal))
        {
            _waiting = [];
            _ = context.WatchAsync<RepairWaitNotice>(OrchestrationEvents.RepairWait, Apply, stopWatching);
        }

        _ = context.WatchAsync<RepairMessage>(OrchestrationEvents.Repair, Route, stopWatching);
    }

    /// <summary>Told when the run's list of waiting results changed (on the run's instance only).</summary>
    public event Action? WaitingChanged;

    /// <summary>The run's waiting results as its progress lists them; empty on any instance but the run's.</summary>
    public IReadOnlyList<WaitingResult> Listed => _listed;

    /// <summary>How many results of the run wait for an operator (on the run's instance; 0 elsewhere).</summary>
    public int WaitingCount => _waiting?.Count ?? 0;

    /// <summary>Lists <paramref name="result"/> as waiting and completes with the operator's action on it.</summary>
    public Task<RepairMessage> WaitAsync(WaitingResult result)
    {
        var waiter = new TaskCompletionSource<RepairMessage>();
        _local[Key(result)] = waiter;
        Tell(new RepairWaitNotice(_context.InstanceId, result, Ended: false));
        return waiter.Task;
    }

    /// <summary>Ends the wait of <paramref name="result"/> without an operator (its timeout, or the run's stop).</summary>
    public void EndWait(WaitingResult result)
    {
        _local.Remove(Key(result));
        Tell(new RepairWaitNotice(_context.InstanceId, result, Ended: true));
    }

    private static (int, string, int) Key(WaitingResult r) => (r.PipelineResult, r.Task, r.TaskResult);

    private static (int, string, int) Key(RepairMessage m) => (m.PipelineResult, m.Task, m.TaskResult);

    private void Tell(RepairWaitNotice notice)
    {
        if (_waiting is null)
        {
            _context.SendEvent(_runId, OrchestrationEvents.RepairWait, notice);
        }
        else
        {
            Apply(notice);
        }
    }

    private void Apply(RepairWaitNotice notice)
    {
        var at = _waiting!.FindIndex(w => Key(w.Result) == Key(notice.Result));
        if (at >= 0)
        {
            _waiting.RemoveAt(at);
        }

        if (!notice.Ended)
        {
            _waiting.Add((notice.InstanceId, notice.Result));
        }

        Changed();
    }

    private void Changed()
    {
        _listed = [.. _waiting!.Take(MaxListed).Select(w => w.Result)];
        WaitingChanged?.Invoke();
    }

    /// <summary>Hands an operator's action to the result it names, here or (on the run's instance) where it waits.</summary>
    private void Route(RepairMessage message)
    {
        var key = Key(message);
        var target = _waiting?.FindIndex(w => Key(w.Result) == key) ?? -1;
        string? instanceId = null;
        if (target >= 0)
        {
            // Listed no more from now on: a second action on the same wait finds nothing to act on.
            instanceId = _waiting![target].InstanceId;
            _waiting.RemoveAt(target);
            Changed();
        }

        if (_local.Remove(key, out var waiter))
        {
            waiter.SetResult(message);
        }
        else if (instanceId is not null && !string.Equals(instanceId, _context.InstanceId, StringComparison.Ordinal))
        {
            _context.SendEvent(instanceId, OrchestrationEvents.Repair, message);
        }
    }
}
