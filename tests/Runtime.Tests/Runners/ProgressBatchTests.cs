using DurablePipelines.Records;
using DurablePipelines.Runners;

namespace DurablePipelines.Tests.Runners;

public class ProgressBatchTests
{
    // A step of a wide run sees many results and publishes after each: its progress is built and reported once, as
    // it stands at the end of the step.
    [Fact]
    public async Task Publish_SeveralTimesInOneStep_ReportsOnceAsItStandsAtTheEnd()
    {
        var reporter = new RecordingReporter();
        var loop = new OrchestrationLoop(e => Assert.Fail(e.ToString()));
        var progress = new ProgressBatch(reporter, loop);
        var succeeded = 0;
        Func<RunProgress> build = () => new RunProgress { InstanceId = "run-1", Tasks = new StatusCounts(0, 0, succeeded, 0, 0), Results = new StatusCounts(0, 0, 0, 0, 0) };

        var reportedInStep = await loop.Run(async () =>
        {
            for (succeeded = 1; succeeded <= 3; succeeded++)
            {
                progress.Publish(build);
            }

            var inStep = reporter.Progresses.Count;
            await Task.Yield();
            return inStep;
        }).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, reportedInStep);
        var reported = Assert.Single(reporter.Progresses);
        Assert.Equal(4, reported.Tasks.Succeeded);
    }

    [Fact]
    public void Flush_ReporterThrows_LaterPublishesStillReport()
    {
        var reporter = new ThrowOnceReporter();
        var progress = new ProgressBatch(reporter, new NeverRunsContext());
        var snapshot = new RunProgress { InstanceId = "run-1", Tasks = new StatusCounts(0, 0, 0, 0, 0), Results = new StatusCounts(0, 0, 0, 0, 0) };

        progress.Publish(() => snapshot);
        Assert.Throws<InvalidOperationException>(progress.Flush);
        progress.Publish(() => snapshot);
        progress.Flush();

        Assert.Equal(1, reporter.Reported);
    }

    /// <summary>A loop that never runs what is posted to it: the test flushes itself.</summary>
    private sealed class NeverRunsContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state)
        {
        }
    }

    private sealed class ThrowOnceReporter : IPipelineReporter
    {
        private bool _thrown;

        public int Reported { get; private set; }

        public void StateChanged(StateChange change)
        {
        }

        public void Progress(RunProgress progress)
        {
            if (!_thrown)
            {
                _thrown = true;
                throw new InvalidOperationException("the reporter failed");
            }

            Reported++;
        }

        public void Finished(PipelineExecution execution)
        {
        }
    }
}
