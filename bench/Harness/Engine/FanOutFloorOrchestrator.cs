using DurablePipelines.Orchestration;
using Microsoft.DurableTask;

namespace DurablePipelines.Bench.Harness.Engine;

/// <summary>
/// The floor of scenario 3: the plainest Durable fan-out, <see cref="FloorInput.Count"/> calls of the app's
/// <see cref="ActivityNames.RunTaskResult"/> activity at once, then <c>Task.WhenAll</c>. Returns how many succeeded.
/// With <see cref="FloorInput.ChunkSize"/>, it fans out to sub-orchestrations of itself of that many calls each, as
/// hand-written code must for 10,000 calls: one instance with 10,000 did not finish in 10 minutes on Azurite. With
/// <see cref="FloorInput.Window"/>, at most that many calls are in flight (and chunks run in turn).
/// </summary>
internal sealed class FanOutFloorOrchestrator : TaskOrchestrator<FloorInput, int>
{
    public const string Name = "BenchFanOutFloor";

    public override async Task<int> RunAsync(TaskOrchestrationContext context, FloorInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        if (input.ChunkSize is { } size && size < input.Count)
        {
            var chunks = new Task<int>[(input.Count + size - 1) / size];
            var inTurn = input.Window is { } w && w <= size;
            var total = 0;
            for (var c = 0; c < chunks.Length; c++)
            {
                var chunk = input with { First = input.First + (c * size), Count = Math.Min(size, input.Count - (c * size)), ChunkSize = null };
                chunks[c] = context.CallSubOrchestratorAsync<int>(Name, chunk, new SubOrchestrationOptions { InstanceId = $"{input.RunId}:c{c}" });
                if (inTurn)
                {
                    total += await chunks[c];
                }
            }

            return inTurn ? total : (await Task.WhenAll(chunks)).Sum();
        }

        if (input.Window is { } window && window < input.Count)
        {
            return await RunWindowedAsync(context, input, window);
        }

        var calls = new Task<TaskResultOutcome>[input.Count];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = context.CallActivityAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, input.Request(i));
        }

        var outcomes = await Task.WhenAll(calls);
        return outcomes.Count(o => o.Succeeded);
    }

    private static async Task<int> RunWindowedAsync(TaskOrchestrationContext context, FloorInput input, int window)
    {
        var running = new List<Task<TaskResultOutcome>>(window);
        var succeeded = 0;
        for (var next = 0; next < input.Count || running.Count > 0;)
        {
            while (next < input.Count && running.Count < window)
            {
                running.Add(context.CallActivityAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, input.Request(next++)));
            }

            var done = await Task.WhenAny(running);
            running.Remove(done);
            succeeded += (await done).Succeeded ? 1 : 0;
        }

        return succeeded;
    }
}
