using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using DurablePipelines.TestSupport.Time;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Runners;

public class InProcessCancelTests
{
    // A cancel stops the running handler through its token; the orchestration must learn of the cancel
    // before it sees that handler's stopped attempt, or the run ends Failed instead of Terminated. The runner's clock
    // stands still, so the handler's sleep is running, waiting on it, whenever the cancel comes.
    [Theory]
    [InlineData("eager")]
    [InlineData("parallel")]
    public async Task RunAsync_CancelledWhileAHandlerRuns_AlwaysEndsTerminated(string runner)
    {
        var clock = new TestClock();
        using var sp = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(clock).AddDurablePipelines().BuildServiceProvider();
        var definition = new PipelineBuilder("slow")
            .Task("wait", "sleep", t => t.Config(new JsonObject { ["ms"] = 30_000 }))
            .Task("next", "echo")
            .Build();
        for (var i = 0; i < 20; i++)
        {
            using var cancel = new CancellationTokenSource();
            var run = new RunPipelineInput { RunId = $"c{i}", Definition = definition, CreatedAt = clock.UtcNow };
            var waiting = clock.WaitingTimers;

            var running = sp.GetRequiredService<PipelineRunnerRegistry>().Get(runner).RunAsync(run, NullReporter.Instance, cancel.Token);
            await clock.WaitForTimersAsync(waiting + 1);
            await cancel.CancelAsync();
            var execution = await running.WaitAsync(TestClock.WaitLimit);

            Assert.Equal(RunStatus.Terminated, execution.Status);
            var wait = execution.PipelineResults[0].TaskExecutions[0].TaskResults.Single();
            Assert.Equal((RunStatus.Failed, 1, "the run was cancelled"), (wait.Status, wait.Attempts, wait.Error!.Message));
            Assert.Equal(RunStatus.Cancelled, execution.PipelineResults[0].TaskExecutions[1].Status);
        }
    }
}
