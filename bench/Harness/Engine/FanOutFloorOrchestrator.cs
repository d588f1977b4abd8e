using DurablePipelines.Orchestration;
using Microsoft.DurableTask;

namespace DurablePipelines.Bench.Harness.Engine;

/// <summary>
/// The floor of scenario 3: the plainest Durable fan-out, <see cref="FloorInput.Count"/> calls of the app's
/// <see cref="ActivityNames.RunTaskResult"/> activity at once, then <c>Task.WhenAll</c>. Returns how many succeeded.
/// </summary>
internal sealed class FanOutFloorOrchestrator : TaskOrchestrator<FloorInput, int>
{
    public const string Name = "BenchFanOutFloor";

    public override async Task<int> RunAsync(TaskOrchestrationContext context, FloorInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var calls = new Task<TaskResultOutcome>[input.Count];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = context.CallActivityAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, input.Request(i));
        }

        var outcomes = await Task.WhenAll(calls);
        return outcomes.Count(o => o.Succeeded);
    }
}
