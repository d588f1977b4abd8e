using System.Text.Json.Nodes;
using DurablePipelines.Activities;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Runners;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Runners;

public class OrchestrationLoopTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    // The orchestration runs on the run's own loop, but in the caller's execution context: what the caller put in
    // async-locals (a logging scope, the current trace) reaches orchestration code and the handlers it starts.
    [Fact]
    public async Task Run_CallerSetAnAsyncLocal_OrchestrationAndItsActivitiesSeeIt()
    {
        var hold = new HoldTask();
        var services = new ServiceCollection().AddLogging().AddDurablePipelines();
        services.AddSingleton(hold);
        services.AddPipelineTask<HoldTask>("hold");
        using var provider = services.BuildServiceProvider();
        var activities = provider.GetRequiredService<PipelineActivities>();
        var loop = new OrchestrationLoop(e => Assert.Fail(e.ToString()));
        HoldTask.Flowing.Value = "from the caller";

        var seen = await loop.Run(async () =>
        {
            var inOrchestration = HoldTask.Flowing.Value;
            var onLoop = SynchronizationContext.Current == loop;
            var request = new TaskResultRequest { RunId = "run-1", Pipeline = "p", Task = "hold", Handler = "hold", Context = new JsonObject() };
            var activity = ActivityCall<TaskResultOutcome>.Start(activities, ActivityNames.RunTaskResult, request, CancellationToken.None);
            await hold.Entered;
            hold.Release();
            await activity;
            return (inOrchestration, onLoop, hold.SawFlowing, afterAwait: HoldTask.Flowing.Value, backOnLoop: SynchronizationContext.Current == loop);
        }).WaitAsync(s_timeout);

        Assert.Equal(("from the caller", true, "from the caller", "from the caller", true), seen);
    }

    // A callback that throws goes to the loop's error handler (the runtime stops the run with it); the loop goes on.
    [Fact]
    public async Task Post_CallbackThrows_ReportsItAndRunsTheNextOne()
    {
        var errors = new List<Exception>();
        var loop = new OrchestrationLoop(errors.Add);
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        loop.Post(_ => throw new InvalidOperationException("a defect"), null);
        loop.Post(_ => ran.SetResult(), null);
        await ran.Task.WaitAsync(s_timeout);

        Assert.Equal("a defect", Assert.Single(errors).Message);
    }
}
