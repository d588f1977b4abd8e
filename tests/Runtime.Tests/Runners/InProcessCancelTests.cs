using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Runners;

public class InProcessCancelTests
{
    // A cancel stops the running handler through its token; the orchestration must learn of the cancel
    // before it sees that handler's stopped attempt, or the run ends Failed instead of Terminated.
    [Theory]
    [InlineData("eager")]
    [InlineData("parallel")]
    public async Task RunAsync_CancelledWhileAHandlerRuns_AlwaysEndsTerminated(string runner)
    {
        using var sp = new ServiceCollection().AddLogging().AddDurablePipelines().BuildServiceProvider();
        var definition = new PipelineBuilder("slow")
            .Task("wait", "sleep", t => t.Config(new JsonObject { ["ms"] = 30_000 }))
            .Task("next", "echo")
            .Build();
        for (var i = 0; i < 20; i++)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
            var run = new RunPipelineInput { RunId = $"c{i}", Definition = definition };

            var execution = await sp.GetRequiredService<PipelineRunnerRegistry>().Get(runner).RunAsync(run, NullReporter.Instance, cancel.Token);

            Assert.Equal(RunStatus.Terminated, execution.Status);
            Assert.Equal(RunStatus.Cancelled, execution.PipelineResults[0].TaskExecutions[1].Status);
        }
    }
}
