using DurablePipelines.Definitions;
using DurablePipelines.LocalDurable;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.LocalDurable;

public sealed class LiveRecordBuilderTests
{
    private static readonly DateTime Start = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Fact]
    public void Build_AfterTheRunsFinalStatusChange_StaysRunningUntilTheFinalRecordReplacesIt()
    {
        var definition = new PipelineBuilder("live").Task("say", "echo").Build();
        var builder = new LiveRecordBuilder(new PipelineExecution { RunId = "r", Pipeline = "live", Status = RunStatus.Pending, CreatedAt = Start }, definition);
        builder.Apply(new StateChange { RunId = "r", Action = "Started", Status = RunStatus.Running, Time = Start });
        builder.Apply(new StateChange { RunId = "r", PipelineResult = 0, Task = "say", TaskResult = 0, Attempt = 1, Action = "Succeeded", Status = RunStatus.Succeeded, Time = Start.AddSeconds(1) });

        builder.Apply(new StateChange { RunId = "r", Action = "Succeeded", Status = RunStatus.Succeeded, Time = Start.AddSeconds(2) });

        var record = builder.Build();
        Assert.Equal(RunStatus.Running, record.Status);
        Assert.Equal(Start, record.StartedAt);
        Assert.Null(record.FinishedAt);
        Assert.Equal(RunStatus.Succeeded, record.PipelineResults[0].TaskExecutions[0].TaskResults[0].Status);
    }
}
