using Microsoft.DurableTask;

namespace DurablePipelines.Durable.Hosting;

/// <summary>The orchestrators and activities a <see cref="TaskHub"/> hosts, by the names they are called with.</summary>
public sealed class TaskHubRegistry
{
    private readonly Dictionary<string, ITaskOrchestrator> _orchestrators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ITaskActivity> _activities = new(StringComparer.Ordinal);

    /// <summary>Orchestrators by name.</summary>
    public IReadOnlyDictionary<string, ITaskOrchestrator> Orchestrators => _orchestrators;

    /// <summary>Activities by name.</summary>
    public IReadOnlyDictionary<string, ITaskActivity> Activities => _activities;

    /// <summary>Adds (or replaces) an orchestrator; one instance serves every execution, so it must keep no state of its own.</summary>
    public TaskHubRegistry Orchestrator(string name, ITaskOrchestrator orchestrator)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _orchestrators[name] = orchestrator ?? throw new ArgumentNullException(nameof(orchestrator));
        return this;
    }

    /// <summary>Adds (or replaces) an activity.</summary>
    public TaskHubRegistry Activity(string name, ITaskActivity activity)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _activities[name] = activity ?? throw new ArgumentNullException(nameof(activity));
        return this;
    }
}
