using System.Text.Json;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;

namespace DurablePipelines.LocalDurable;

/// <summary>
/// Answers activity calls recorded before a restart from their checkpoints (by key, whatever order they were
/// recorded in) and checkpoints every new result as soon as it finishes. A result that was running when the
/// host stopped has no checkpoint, so it runs again: at-least-once, as on Azure. Results that finish together
/// are written together (<see cref="CheckpointBatcher"/>), each caller still waiting for its own checkpoint.
/// </summary>
internal sealed class CheckpointJournal(string runId, ICheckpointStore store, IReadOnlyDictionary<string, string> recorded, CancellationToken hostStopping) : IActivityJournal
{
    private readonly CheckpointBatcher _checkpoints = new(runId, store);
    private int _replayed;
    private int _executed;

    public int Replayed => _replayed;

    public int Executed => _executed;

    public bool IsRecorded(string key) => recorded.ContainsKey(key);

    public async Task<object?> RunAsync(string name, IActivityInput input, Type resultType, Func<Task<object?>> execute)
    {
        if (recorded.TryGetValue(input.Key, out var json))
        {
            Interlocked.Increment(ref _replayed);
            return JsonSerializer.Deserialize(json, resultType, PipelineJson.Options);
        }

        hostStopping.ThrowIfCancellationRequested();
        var result = await execute();

        // A result produced while the host shuts down may be an artefact of the shutdown: do not record it,
        // so the restarted host runs it again instead of replaying a failure that never belonged to the run.
        hostStopping.ThrowIfCancellationRequested();
        await _checkpoints.SaveAsync(input.Key, JsonSerializer.Serialize(result, resultType, PipelineJson.Options));
        Interlocked.Increment(ref _executed);
        return result;
    }
}
