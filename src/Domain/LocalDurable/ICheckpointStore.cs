namespace DurablePipelines.LocalDurable;

/// <summary>Where the local durable runner keeps each run's input and activity results, as JSON by key.</summary>
public interface ICheckpointStore
{
    /// <summary>Writes one checkpoint; writing the same key again overwrites it.</summary>
    Task SaveAsync(string runId, string key, string json, CancellationToken cancellationToken);

    /// <summary>Every checkpoint of a run, by key.</summary>
    Task<IReadOnlyDictionary<string, string>> LoadAllAsync(string runId, CancellationToken cancellationToken);
}
