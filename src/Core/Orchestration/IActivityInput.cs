namespace DurablePipelines.Orchestration;

/// <summary>An activity call's input, with the stable key that identifies the call across replays and restarts.</summary>
public interface IActivityInput
{
    /// <summary>Stable across replays: pipeline result, task, result index and attempt for a task result.</summary>
    string Key { get; }
}
