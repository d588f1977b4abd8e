namespace DurablePipelines.LocalDurable;

/// <summary>Where the local durable runner keeps each run's input and activity results, as JSON by key.</summary>
public interface ICheckpointStore
{
    /// <summary>Writes one checkpoint; writing the same key again overwrites it.</summary>
    Task SaveAsync(string runId, string key, string json, CancellationToken cancellationToken);

    /// <summary>
    /// Writes many checkpoints of one run as one unit (one write to storage): when it returns, every one of them
    /// is stored; when it fails, none of them may be counted on. A key given twice keeps its last value.
    /// </summary>
    /// <remarks>
    /// A key written both here and by <see cref="SaveAsync"/>, or in two groups, should not happen: each store
    /// documents which copy <see cref="LoadAllAsync"/> returns.
    /// </remarks>
    Task SaveGroupAsync(string runId, IReadOnlyList<KeyValuePair<string, string>> checkpoints, CancellationToken cancellationToken);

    /// <summary>Every checkpoint of a run, by key, whether it was written alone or in a group.</summary>
    Task<IReadOnlyDictionary<string, string>> LoadAllAsync(string runId, CancellationToken cancellationToken);
}
