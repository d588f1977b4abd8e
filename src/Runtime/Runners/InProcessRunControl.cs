using System.Collections.Concurrent;

namespace DurablePipelines.Runners;

/// <summary>
/// Operator actions on the in-process runs of this process (the <c>eager</c> and <c>parallel</c> runners), by run id:
/// what <c>IRunScheduler</c> does for runs on the Durable engine.
/// </summary>
public sealed class InProcessRunControl
{
    private readonly ConcurrentDictionary<string, InProcessRuntime> _runs = new(StringComparer.Ordinal);

    /// <summary>True while run <paramref name="runId"/> runs in this process.</summary>
    public bool IsRunning(string runId) => _runs.ContainsKey(runId);

    /// <summary>
    /// Suspends (<paramref name="suspended"/> true) or resumes run <paramref name="runId"/>: while suspended no new task
    /// result starts; what runs finishes and is recorded. False when no such run runs in this process.
    /// </summary>
    public bool SetSuspended(string runId, bool suspended)
    {
        if (!_runs.TryGetValue(runId, out var runtime))
        {
            return false;
        }

        runtime.Suspension.Set(suspended);
        return true;
    }

    /// <summary>
    /// Raises event <paramref name="name"/> with <paramref name="payload"/> on run <paramref name="runId"/>: its
    /// <c>wait</c> results for that name end with it. False when no such run runs in this process.
    /// </summary>
    public bool RaiseEvent(string runId, string name, System.Text.Json.Nodes.JsonNode? payload)
    {
        if (!_runs.TryGetValue(runId, out var runtime))
        {
            return false;
        }

        runtime.Events.Raise(new Orchestration.RunEventMessage(name, payload));
        return true;
    }

    /// <summary>
    /// Hands an operator's <paramref name="repair"/> of a waiting result to run <paramref name="runId"/>. False when no
    /// such run runs in this process; a repair of a result that does not wait is dropped by the run.
    /// </summary>
    public bool Repair(string runId, Orchestration.RepairMessage repair)
    {
        if (!_runs.TryGetValue(runId, out var runtime))
        {
            return false;
        }

        runtime.Repairs.Post(runId, repair);
        return true;
    }

    /// <summary>Makes a running run reachable by its id until the result is disposed.</summary>
    internal IDisposable Register(string runId, InProcessRuntime runtime)
    {
        if (!_runs.TryAdd(runId, runtime))
        {
            throw new InvalidOperationException($"run '{runId}' already runs in this process");
        }

        return new Registration(this, runId);
    }

    private sealed class Registration(InProcessRunControl owner, string runId) : IDisposable
    {
        public void Dispose() => owner._runs.TryRemove(runId, out _);
    }
}
