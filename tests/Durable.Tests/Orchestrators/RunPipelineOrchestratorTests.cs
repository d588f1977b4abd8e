using System.Text.Json.Nodes;
using DurablePipelines.Definitions;
using DurablePipelines.Durable.Activities;
using DurablePipelines.Durable.Orchestrators;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Moq.Protected;

namespace DurablePipelines.Durable.Tests.Orchestrators;

public class RunPipelineOrchestratorTests
{
    private static readonly DateTime s_now = new(2030, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    // CallBase: CreateReplaySafeLogger is virtual; its real implementation wraps a logger of the protected LoggerFactory.
    private readonly Mock<TaskOrchestrationContext> _durable = new() { CallBase = true };
    private readonly List<(string Name, object? Input)> _storeCalls = [];

    public RunPipelineOrchestratorTests()
    {
        // CreateReplaySafeLogger wraps a logger from the context's protected LoggerFactory.
        _durable.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(NullLoggerFactory.Instance);
        _durable.SetupGet(c => c.InstanceId).Returns("r1");
        _durable.SetupGet(c => c.CurrentUtcDateTime).Returns(s_now);
        _durable.Setup(c => c.WaitForExternalEvent<string>(OrchestrationEvents.Cancel, It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<string>().Task);
        // No operator suspends the run, raises an event on it or repairs a result. Left to Moq, these would complete at once with a
        // default value, as if an endless stream of events arrived, and the watchers would never yield.
        _durable.Setup(c => c.WaitForExternalEvent<bool>(OrchestrationEvents.Suspension, It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<bool>().Task);
        _durable.Setup(c => c.WaitForExternalEvent<RunEventMessage>(OrchestrationEvents.RunEvent, It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<RunEventMessage>().Task);
        _durable.Setup(c => c.WaitForExternalEvent<RepairMessage>(OrchestrationEvents.Repair, It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<RepairMessage>().Task);
        _durable.Setup(c => c.WaitForExternalEvent<RepairWaitNotice>(OrchestrationEvents.RepairWait, It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<RepairWaitNotice>().Task);
        _durable.Setup(c => c.CallActivityAsync<TaskResultOutcome>(It.Is<TaskName>(n => n.Name == ActivityNames.RunTaskResult), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ReturnsAsync(new TaskResultOutcome { Succeeded = true, Output = JsonValue.Create("done"), StartedAt = s_now, FinishedAt = s_now });
        _durable.Setup(c => c.CallActivityAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((name, input, _) => _storeCalls.Add((name.Name, input)))
            .Returns(Task.CompletedTask);
    }

    [Fact]
    public async Task RunPipeline_Succeeds_SavesTheFinalRecordWithItsRunLog()
    {
        var record = await new RunPipelineOrchestrator().RunAsync(_durable.Object, Run());

        Assert.Equal(RunStatus.Succeeded, record.Status);
        Assert.Equal([RunStoreActivities.MarkRunStarted, RunStoreActivities.SaveRunRecord], _storeCalls.Select(c => c.Name));
        Assert.Equal(new MarkRunStartedRequest("r1", s_now, s_now), _storeCalls[0].Input);
        var save = Assert.IsType<SaveRunRecordRequest>(_storeCalls[1].Input);
        Assert.Same(record, save.Record);
        Assert.Equal(StateAction.Started, save.Log[0].Action);
        Assert.Null(save.Log[0].Task);
        Assert.Equal(StateAction.Succeeded, save.Log[^1].Action);
        Assert.Contains(save.Log, row => row.Task == "say");
    }

    /// <summary>The first tasks do not wait for the record to turn Running; the final record does.</summary>
    [Fact]
    public async Task RunPipeline_MarkingStartedStillUnderWay_TasksRunAndTheFinalRecordWaitsForIt()
    {
        var marking = new TaskCompletionSource();
        _durable.Setup(c => c.CallActivityAsync(It.Is<TaskName>(n => n.Name == RunStoreActivities.MarkRunStarted), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((name, input, _) => _storeCalls.Add((name.Name, input)))
            .Returns(marking.Task);

        var running = new RunPipelineOrchestrator().RunAsync(_durable.Object, Run());

        _durable.Verify(c => c.CallActivityAsync<TaskResultOutcome>(It.Is<TaskName>(n => n.Name == ActivityNames.RunTaskResult), It.IsAny<object?>(), It.IsAny<TaskOptions?>()), Times.Once);
        Assert.False(running.IsCompleted);
        Assert.Equal([RunStoreActivities.MarkRunStarted], _storeCalls.Select(c => c.Name));

        marking.SetResult();
        var record = await running;

        Assert.Equal(RunStatus.Succeeded, record.Status);
        Assert.Equal([RunStoreActivities.MarkRunStarted, RunStoreActivities.SaveRunRecord], _storeCalls.Select(c => c.Name));
    }

    [Fact]
    public async Task RunPipeline_ActivityThrows_SavesAFailedRecordThenFails()
    {
        _durable.Setup(c => c.CallActivityAsync<TaskResultOutcome>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ThrowsAsync(new InvalidOperationException("storage is down"));

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => new RunPipelineOrchestrator().RunAsync(_durable.Object, Run()));

        Assert.Equal("storage is down", thrown.Message);
        Assert.Equal([RunStoreActivities.MarkRunStarted, RunStoreActivities.SaveRunRecord], _storeCalls.Select(c => c.Name));
        var save = Assert.IsType<SaveRunRecordRequest>(_storeCalls[1].Input);
        Assert.Equal(RunStatus.Failed, save.Record.Status);
        Assert.Equal("the engine failed: storage is down", save.Record.Error?.Message);
        Assert.Equal(s_now, save.Record.FinishedAt);
        Assert.Equal(StateAction.Failed, save.Log[^1].Action);
    }

    [Fact]
    public async Task RunPipelineItem_AppendsItsRunLogRowsForTheRun()
    {
        var item = new PipelineItemInput
        {
            RunId = "r1",
            Definition = Definition(),
            Index = 1,
            Item = JsonValue.Create("eu"),
        };

        var result = await new RunPipelineItemOrchestrator().RunAsync(_durable.Object, item);

        Assert.Equal(RunStatus.Succeeded, result.Status);
        var (name, input) = Assert.Single(_storeCalls);
        Assert.Equal(RunStoreActivities.AppendRunLog, name);
        var append = Assert.IsType<AppendRunLogRequest>(input);
        Assert.Equal("r1", append.RunId);
        Assert.All(append.Log, row => Assert.Equal(1, row.PipelineResult));
    }

    [Fact]
    public async Task RunPipeline_WithoutInput_FailsLoudly()
    {
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => new RunPipelineOrchestrator().RunAsync(_durable.Object, null!));

        Assert.Equal("orchestration r1 was started without a RunPipelineInput", thrown.Message);
        Assert.Empty(_storeCalls);
    }

    private static PipelineDefinition Definition() => new PipelineBuilder("hello").Task("say", "echo").Build();

    private static RunPipelineInput Run() => new() { RunId = "r1", Definition = Definition(), Runner = "durable", CreatedAt = s_now };
}
