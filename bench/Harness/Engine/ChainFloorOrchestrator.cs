using DurablePipelines.Orchestration;
using Microsoft.DurableTask;

namespace DurablePipelines.Bench.Harness.Engine;

/// <summary>
/// The floor of scenario 4: <see cref="FloorInput.Count"/> calls of the app's <see cref="ActivityNames.RunTaskResult"/>
/// activity one after another. Returns each call's outcome, whose startedAt/finishedAt give the step latencies.
/// </summary>
internal sealed class ChainFloorOrchestrator : TaskOrchestrator<FloorInput, List<TaskResultOutcome>>
{
    public const string Name = "BenchChainFloor";

    public override async Task<List<TaskResultOutcome>> RunAsync(TaskOrchestrationContext context, FloorInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var outcomes = new List<TaskResultOutcome>(input.Count);
        for (var i = 0; i < input.Count; i++)
        {
            outcomes.Add(await context.CallActivityAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, input.Request(i)));
        }

        return outcomes;
    }
}
