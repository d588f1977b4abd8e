using System.Collections.Concurrent;

namespace DurablePipelines.LocalDurable;

/// <summary>
/// Checkpoints in process memory, for tests of the local durable runner without storage. Every write overwrites
/// the keys it holds, so the last write of a key wins whichever method made it.
/// </summary>
public sealed class InMemoryCheckpointStore : ICheckpointStore
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> _runs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task SaveAsync(string runId, string key, string json, CancellationToken cancellationToken)
    {
        Run(runId)[key] = json;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SaveGroupAsync(string runId, IReadOnlyList<KeyValuePair<string, string>> checkpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        var run = Run(runId);
        foreach (var (key, json) in checkpoints)
        {
            run[key] = json;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, string>> LoadAllAsync(string runId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(
            _runs.TryGetValue(runId, out var run) ? new Dictionary<string, string>(run, StringComparer.Ordinal) : new Dictionary<string, string>());

    private ConcurrentDictionary<string, string> Run(string runId) => _runs.GetOrAdd(runId, _ => new(StringComparer.Ordinal));
}
