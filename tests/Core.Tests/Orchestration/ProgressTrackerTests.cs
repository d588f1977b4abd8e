using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Moq;

namespace DurablePipelines.Tests.Orchestration;

public sealed class ProgressTrackerTests
{
    private readonly List<RunProgress> _published = [];
    private readonly ProgressTracker _tracker;

    public ProgressTrackerTests()
    {
        var context = new Mock<IOrchestrationContext> { CallBase = true };
        context.SetupGet(c => c.InstanceId).Returns("run-1");
        context.Setup(c => c.SetCustomStatus(It.IsAny<RunProgress>())).Callback<RunProgress>(_published.Add);
        _tracker = new ProgressTracker(context.Object);
    }

    [Fact]
    public void Publish_AfterChanges_ShowsCountsAndRunningTasksInStartOrder()
    {
        _tracker.AddTasks(3);
        _tracker.TaskChanged("a", RunStatus.Pending, RunStatus.Running);
        _tracker.TaskChanged("b", RunStatus.Pending, RunStatus.Running);
        _tracker.AddResults(2);
        _tracker.ResultChanged(RunStatus.Pending, RunStatus.Running);
        _tracker.Publish();
        _tracker.TaskChanged("a", RunStatus.Running, RunStatus.Succeeded);
        _tracker.ResultChanged(RunStatus.Running, RunStatus.Succeeded);
        _tracker.Publish();

        Assert.Equal(["a", "b"], _published[0].RunningTasks);
        Assert.Equal(new StatusCounts(1, 2, 0, 0, 0), _published[0].Tasks);
        Assert.Equal(new StatusCounts(1, 1, 0, 0, 0), _published[0].Results);
        Assert.Equal(["b"], _published[1].RunningTasks);
        Assert.Equal(new StatusCounts(1, 1, 1, 0, 0), _published[1].Tasks);
        Assert.Equal(new StatusCounts(1, 0, 1, 0, 0), _published[1].Results);
        Assert.Equal("run-1", _published[1].InstanceId);
    }

    [Fact]
    public void Publish_ManyRunningTasks_ShowsTheFirstTwentyStillRunning()
    {
        _tracker.AddTasks(30);
        for (var i = 0; i < 30; i++)
        {
            _tracker.TaskChanged($"t{i}", RunStatus.Pending, RunStatus.Running);
        }

        _tracker.Publish();
        _tracker.TaskChanged("t25", RunStatus.Running, RunStatus.Succeeded);
        _tracker.Publish();
        _tracker.TaskChanged("t3", RunStatus.Running, RunStatus.Failed);
        _tracker.Publish();

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"t{i}"), _published[0].RunningTasks);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"t{i}"), _published[1].RunningTasks);
        Assert.Equal(Enumerable.Range(0, 21).Where(i => i != 3).Select(i => $"t{i}"), _published[2].RunningTasks);
        Assert.Equal(new StatusCounts(0, 28, 1, 1, 0), _published[2].Tasks);
    }

    [Fact]
    public void Publish_MoreThanTenFailures_KeepsTheLatestTenNewestLast()
    {
        for (var i = 0; i < 12; i++)
        {
            _tracker.Failure($"f{i}");
        }

        _tracker.Publish();
        _tracker.Publish();

        Assert.Equal(Enumerable.Range(2, 10).Select(i => $"f{i}"), _published[0].Failures);
        Assert.Equal(_published[0].Failures, _published[1].Failures);
        Assert.Empty(_published[0].RunningTasks);
    }
}
