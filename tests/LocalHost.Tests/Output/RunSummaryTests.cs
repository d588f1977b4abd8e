using System.Text.Json.Nodes;
using DurablePipelines.LocalHost.Output;
using DurablePipelines.Records;

namespace DurablePipelines.LocalHost.Tests.Output;

public class RunSummaryTests
{
    private static readonly DateTime s_start = new(2025, 1, 31, 12, 0, 0, DateTimeKind.Utc);

    private static readonly PipelineExecution s_execution = new()
    {
        RunId = "r1",
        Pipeline = "nightly",
        Version = "2",
        Runner = "parallel",
        Status = RunStatus.Failed,
        StartedAt = s_start,
        FinishedAt = s_start.AddSeconds(75),
        PipelineResults =
        [
            new PipelineResult
            {
                Index = 0,
                Item = JsonValue.Create("eu"),
                Status = RunStatus.Failed,
                StartedAt = s_start,
                FinishedAt = s_start.AddSeconds(1.5),
                TaskExecutions =
                [
                    new TaskExecution
                    {
                        Task = "price",
                        Status = RunStatus.Failed,
                        StartedAt = s_start,
                        FinishedAt = s_start.AddSeconds(1.25),
                        TaskResults =
                        [
                            new TaskResult { Index = 0, Status = RunStatus.Succeeded },
                            new TaskResult { Index = 1, Status = RunStatus.Failed, Error = new TaskError("System.Exception", "boom") },
                            new TaskResult { Index = 2, Status = RunStatus.Cancelled, Error = new TaskError(TaskErrorTypes.Cancelled, "not started") },
                        ],
                    },
                    new TaskExecution
                    {
                        Task = "load",
                        Status = RunStatus.Cancelled,
                        Error = new TaskError(TaskErrorTypes.Cancelled, "not started: parent 'price' failed"),
                        TaskResults = [new TaskResult { Status = RunStatus.Cancelled }],
                    },
                ],
            },
        ],
    };

    [Fact]
    public async Task WritePlainAsync_FailedRun_StatusCountsDurationsAndFirstErrors()
    {
        using var writer = new StringWriter();

        await RunSummary.WritePlainAsync(writer, s_execution);

        Assert.Equal(
            """
            run r1: Failed in 1m15s (pipeline nightly v2, runner parallel)
            [0] eu: Failed in 1.50s
              price  Failed     1 succeeded, 1 failed, 1 cancelled  1.25s  boom
              load   Cancelled  0 succeeded, 0 failed, 1 cancelled  -  not started: parent 'price' failed

            """.ReplaceLineEndings("\n"),
            writer.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ToRenderable_FailedRun_TableShowsEveryTask()
    {
        var text = TextConsole.Render(RunSummary.ToRenderable(s_execution));

        Assert.Contains("nightly run r1: Failed in 1m15s (runner parallel)", text, StringComparison.Ordinal);
        Assert.Contains("[0] eu Failed in 1.50s", text, StringComparison.Ordinal);
        Assert.Matches(@"price\s*\S\s*Failed\s*\S\s*1/1/1\s*\S\s*1.25s\s*\S\s*boom", text);
        Assert.Matches(@"load\s*\S\s*Cancelled\s*\S\s*0/0/1\s*\S\s*-\s*\S\s*not started", text);
    }

    [Theory]
    [InlineData(0.25, "0.25s")]
    [InlineData(187, "3m07s")]
    [InlineData(7500, "2h05m")]
    public void Duration_Spans_ReadShort(double seconds, string expected)
    {
        Assert.Equal(expected, RunText.Duration(TimeSpan.FromSeconds(seconds)));
    }
}
