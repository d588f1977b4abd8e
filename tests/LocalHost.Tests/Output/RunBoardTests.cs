using DurablePipelines.LocalHost.Output;
using DurablePipelines.Records;

namespace DurablePipelines.LocalHost.Tests.Output;

public class RunBoardTests
{
    [Fact]
    public void Render_ProgressOfPipelineResults_SumsCountsAndSkipsChunks()
    {
        var board = new RunBoard("r1", "nightly", "parallel");
        board.Apply(Progress("r1:p0", new StatusCounts(1, 1, 1, 0, 0), new StatusCounts(3, 2, 5, 0, 0), ["price"]));
        board.Apply(Progress("r1:p1", new StatusCounts(2, 1, 0, 0, 0), new StatusCounts(0, 1, 0, 0, 0), ["extract"]));
        board.Apply(Progress("r1:p1", new StatusCounts(1, 1, 0, 1, 0), new StatusCounts(0, 0, 0, 1, 0), ["price"]));
        board.Apply(Progress("r1:p0:price:c0", new StatusCounts(0, 1, 0, 0, 0), new StatusCounts(0, 100, 0, 0, 0), ["price"]));
        board.Apply(new StateChange { RunId = "r1", Action = StateAction.Started, Status = RunStatus.Running });
        board.Apply(new StateChange { RunId = "r1", PipelineResult = 1, Task = "extract", Action = StateAction.Failed, Status = RunStatus.Failed, Error = new TaskError("X", "no data") });

        var text = TextConsole.Render(board.Render(TimeSpan.FromSeconds(2)));

        Assert.Equal(RunStatus.Running, board.Status);
        Assert.Contains("nightly run r1 on parallel: Running 2.00s", text, StringComparison.Ordinal);
        Assert.Matches(@"Tasks\s*\S\s*2\s*\S\s*2\s*\S\s*1\s*\S\s*1\s*\S\s*0", text);
        Assert.Matches(@"Task results\s*\S\s*3\s*\S\s*2\s*\S\s*5\s*\S\s*1\s*\S\s*0", text);
        Assert.Contains("Running: [0] price, [1] price", text, StringComparison.Ordinal);
        Assert.Contains("[1] extract Failed: no data", text, StringComparison.Ordinal);
    }

    private static RunProgress Progress(string instance, StatusCounts tasks, StatusCounts results, string[] running) => new()
    {
        InstanceId = instance,
        Status = RunStatus.Running,
        Tasks = tasks,
        Results = results,
        RunningTasks = running,
    };
}
