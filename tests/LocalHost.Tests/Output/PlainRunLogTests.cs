using System.Text.Json.Nodes;
using DurablePipelines.LocalHost.Output;
using DurablePipelines.Records;

namespace DurablePipelines.LocalHost.Tests.Output;

public class PlainRunLogTests
{
    private static readonly DateTime s_time = new(2025, 1, 31, 12, 0, 1, 250, DateTimeKind.Utc);

    [Fact]
    public void Line_EveryLevel_ReadsAsScopeAndAction()
    {
        Assert.Equal("12:00:01.250 run r1 Started", PlainRunLog.Line(Change(null, null, null, StateAction.Started)));
        Assert.Equal("12:00:01.250 [2] eu Started", PlainRunLog.Line(Change(2, null, null, StateAction.Started) with { Item = JsonValue.Create("eu") }));
        Assert.Equal("12:00:01.250 [0] load Succeeded", PlainRunLog.Line(Change(0, "load", null, StateAction.Succeeded)));
        Assert.Equal(
            "12:00:01.250 [0] price[3] Retrying (attempt 2): boom",
            PlainRunLog.Line(Change(0, "price", 3, StateAction.Retrying) with { Attempt = 2, Error = new TaskError("System.Exception", "boom") }));
    }

    [Theory]
    [InlineData(null, null, StateAction.Started, true)]
    [InlineData("price", null, StateAction.Started, true)]
    [InlineData("price", 3, StateAction.Started, false)]
    [InlineData("price", 3, StateAction.Succeeded, false)]
    [InlineData("price", 3, StateAction.Failed, true)]
    [InlineData("price", 3, StateAction.Retrying, true)]
    [InlineData("price", 3, StateAction.TimedOut, true)]
    public void Shows_SuccessfulTaskResults_LeftOut(string? task, int? taskResult, StateAction action, bool shown)
    {
        Assert.Equal(shown, PlainRunLog.Shows(Change(0, task, taskResult, action)));
    }

    private static StateChange Change(int? pipelineResult, string? task, int? taskResult, StateAction action) => new()
    {
        Time = s_time,
        RunId = "r1",
        PipelineResult = pipelineResult,
        Task = task,
        TaskResult = taskResult,
        Action = action,
    };
}
