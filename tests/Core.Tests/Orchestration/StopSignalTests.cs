using DurablePipelines.Orchestration;

namespace DurablePipelines.Tests.Orchestration;

public sealed class StopSignalTests
{
    // On an in-process runner the clock runs while a step does: a result started by the work the resume let go on was
    // recorded as started before the resume when the resume was recorded after it (EagerRunnerConformanceTests, once).
    [Fact]
    public void Resume_IsRecordedBeforeTheWorkThatWaitedForItGoesOn()
    {
        var history = new ScriptedHistory();
        using var signal = new StopSignal(new ScriptedOrchestrationContext(history, "run-1"), "run-1", deadline: null);
        var order = new List<string>();
        signal.SuspensionChanged += suspended => order.Add(suspended ? "suspend recorded" : "resume recorded");

        Assert.True(history.Raise("run-1", OrchestrationEvents.Suspension, true));
        var work = GoOnAfterTheResumeAsync(signal, order);
        Assert.False(work.IsCompleted);
        Assert.True(history.Raise("run-1", OrchestrationEvents.Suspension, false));

        Assert.True(work.IsCompletedSuccessfully);
        Assert.Equal(["suspend recorded", "resume recorded", "work goes on"], order);
    }

    private static async Task GoOnAfterTheResumeAsync(StopSignal signal, List<string> order)
    {
        await signal.WhileSuspendedAsync();
        order.Add("work goes on");
    }
}
