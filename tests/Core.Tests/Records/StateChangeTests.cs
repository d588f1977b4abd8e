using System.Text.Json;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Records;

/// <summary>The run log's rows on the wire (docs/api.md, Run log): the action is written by name, as it was when it was a string.</summary>
public sealed class StateChangeTests
{
    private static readonly DateTime s_time = new(2026, 12, 4, 17, 42, 59, DateTimeKind.Utc);

    [Fact]
    public void StateAction_Names_AreTheOnesTheRunLogWrites_NoneRenamed()
    {
        Assert.Equal(["Started", "Succeeded", "Failed", "Retrying", "TimedOut", "Cancelled", "Terminated", "Suspended", "Resumed", "Reused", "WaitingForOperator", "RetriedByOperator", "SkippedByOperator", "FailedByOperator"], Enum.GetNames<StateAction>());
    }

    [Fact]
    public void Serialize_ARetryRow_IsByteIdenticalToTheDocumentedRow()
    {
        var row = new StateChange
        {
            Time = s_time,
            RunId = "demo-1",
            PipelineResult = 0,
            Task = "price",
            TaskResult = 1,
            Attempt = 1,
            Action = StateAction.Retrying,
            Status = RunStatus.Running,
            Error = new TaskError("DurablePipelines.Handlers.BuiltIn.TaskFailedOnPurposeException", "no price for order 3"),
        };

        Assert.Equal(
            """{"time":"2026-12-04T17:42:59Z","runId":"demo-1","pipelineResult":0,"task":"price","taskResult":1,"attempt":1,"action":"Retrying","status":"Running","error":{"type":"DurablePipelines.Handlers.BuiltIn.TaskFailedOnPurposeException","message":"no price for order 3"},"by":null,"item":null}""",
            JsonSerializer.Serialize(row, PipelineJson.Options));
    }

    [Theory]
    [InlineData(StateAction.Started, "Started")]
    [InlineData(StateAction.Succeeded, "Succeeded")]
    [InlineData(StateAction.Failed, "Failed")]
    [InlineData(StateAction.Retrying, "Retrying")]
    [InlineData(StateAction.TimedOut, "TimedOut")]
    [InlineData(StateAction.Cancelled, "Cancelled")]
    [InlineData(StateAction.Terminated, "Terminated")]
    public void Serialize_EveryAction_WritesItsNameAndReadsBack(StateAction action, string written)
    {
        var json = JsonSerializer.Serialize(new StateChange { Time = s_time, RunId = "r1", Action = action }, PipelineJson.Options);

        Assert.Contains($"\"action\":\"{written}\"", json, StringComparison.Ordinal);
        Assert.Equal(action, JsonSerializer.Deserialize<StateChange>(json, PipelineJson.Options)!.Action);
    }

    [Fact]
    public void Deserialize_RowsOfALogWrittenWhenTheActionWasAString_ReadTheirActions()
    {
        string[] lines =
        [
            """{ "time": "2026-12-04T17:42:59.2745438Z", "runId": "demo-1", "pipelineResult": 0, "task": "price", "taskResult": 1, "attempt": 1, "action": "Started", "status": "Running", "error": null, "item": 3 }""",
            """{ "time": "2026-12-04T17:42:59.3Z", "runId": "demo-1", "pipelineResult": 0, "task": "price", "taskResult": 1, "attempt": 1, "action": "Retrying", "status": "Running", "error": { "type": "System.Exception", "message": "no price for order 3" }, "item": null }""",
            """{ "time": "2026-12-04T17:43:00Z", "runId": "demo-1", "pipelineResult": 0, "task": "price", "taskResult": 1, "attempt": 2, "action": "TimedOut", "status": "Failed", "error": null, "item": null }""",
            """{ "time": "2026-12-04T17:43:01Z", "runId": "demo-1", "action": "Terminated", "status": "Terminated", "error": { "type": "DurablePipelines.Cancelled", "message": "the run was cancelled" } }""",
        ];

        var actions = lines.Select(line => JsonSerializer.Deserialize<StateChange>(line, PipelineJson.Options)!.Action);

        Assert.Equal([StateAction.Started, StateAction.Retrying, StateAction.TimedOut, StateAction.Terminated], actions);
    }

    [Fact]
    public void Deserialize_AnActionTheLogNeverWrote_IsRefused()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<StateChange>("""{ "runId": "r1", "action": "Strated" }""", PipelineJson.Options));
    }

    [Theory]
    [InlineData(RunStatus.Succeeded, StateAction.Succeeded)]
    [InlineData(RunStatus.Failed, StateAction.Failed)]
    [InlineData(RunStatus.Cancelled, StateAction.Cancelled)]
    [InlineData(RunStatus.Terminated, StateAction.Terminated)]
    public void FinishedAction_FinalStatus_IsTheActionOfTheSameName(RunStatus status, StateAction action)
    {
        Assert.Equal(action, status.FinishedAction());
    }

    [Theory]
    [InlineData(RunStatus.Pending)]
    [InlineData(RunStatus.Running)]
    public void FinishedAction_StatusThatIsNotFinal_Throws(RunStatus status)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => status.FinishedAction());
    }
}
