using DurablePipelines.Orchestration;

namespace DurablePipelines.Runners;

/// <summary>
/// Lets an in-process runner record activity results and replay them: before an activity runs, the journal
/// may answer it from a checkpoint (matched by <see cref="IActivityInput.Key"/>, whatever order results came
/// in); otherwise it runs it and checkpoints the result. The local host's durable runner keeps the journal in
/// blob storage so a restarted host resumes a run without running recorded task results again.
/// </summary>
public interface IActivityJournal
{
    /// <summary>Whether a result is recorded for the call with this key (it replays without running).</summary>
    bool IsRecorded(string key);

    /// <summary>Returns the recorded result for the call, or runs <paramref name="execute"/> and records what it returns.</summary>
    Task<object?> RunAsync(string name, IActivityInput input, Type resultType, Func<Task<object?>> execute);
}
