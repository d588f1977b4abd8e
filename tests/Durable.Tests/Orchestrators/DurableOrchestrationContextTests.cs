using DurablePipelines.Durable.Orchestrators;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.TestSupport.Logging;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Moq;
using Moq.Protected;

namespace DurablePipelines.Durable.Tests.Orchestrators;

public class DurableOrchestrationContextTests
{
    // CallBase: CreateReplaySafeLogger is virtual; its real implementation wraps a logger of the protected LoggerFactory.
    private readonly Mock<TaskOrchestrationContext> _durable = new() { CallBase = true };
    private readonly ListLogger _logger = new();

    public DurableOrchestrationContextTests()
    {
        // The port logs through the context's replay-safe logger, which wraps a logger of its protected LoggerFactory.
        var factory = new Mock<ILoggerFactory>();
        factory.Setup(f => f.CreateLogger(It.IsAny<string>())).Returns(_logger);
        _durable.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(factory.Object);
    }

    private DurableOrchestrationContext Port() => new(_durable.Object);

    [Fact]
    public async Task CallActivityAsync_ForwardsNameAndInput_ReturnsDurableResult()
    {
        var request = new TaskResultRequest { RunId = "r1", Pipeline = "p", Task = "t", Handler = "echo" };
        var outcome = new TaskResultOutcome { Succeeded = true };
        _durable.Setup(c => c.CallActivityAsync<TaskResultOutcome>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ReturnsAsync(outcome);

        var result = await Port().CallActivityAsync<TaskResultOutcome>(ActivityNames.RunTaskResult, request);

        Assert.Same(outcome, result);
        // With the retry of failures outside the handler (storage, a stopping host): a handler's failure is an outcome.
        _durable.Verify(c => c.CallActivityAsync<TaskResultOutcome>(
            It.Is<TaskName>(n => n.Name == ActivityNames.RunTaskResult), request, It.Is<TaskOptions?>(o => o!.Retry!.Policy!.MaxNumberOfAttempts > 1)), Times.Once);
    }

    [Fact]
    public async Task CallSubOrchestratorAsync_PassesInstanceIdInSubOrchestrationOptions()
    {
        var input = new object();
        var result = new PipelineResult { Index = 2 };
        _durable.Setup(c => c.CallSubOrchestratorAsync<PipelineResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ReturnsAsync(result);

        var returned = await Port().CallSubOrchestratorAsync<PipelineResult>(OrchestratorNames.RunPipelineItem, "r1:2", input);

        Assert.Same(result, returned);
        _durable.Verify(c => c.CallSubOrchestratorAsync<PipelineResult>(
            It.Is<TaskName>(n => n.Name == OrchestratorNames.RunPipelineItem),
            input,
            It.Is<TaskOptions?>(o => o is SubOrchestrationOptions && ((SubOrchestrationOptions)o).InstanceId == "r1:2")), Times.Once);
    }

    [Fact]
    public async Task CreateTimer_ForwardsFireTimeAndToken()
    {
        var fireAt = new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        using var cts = new CancellationTokenSource();
        _durable.Setup(c => c.CreateTimer(fireAt, cts.Token)).Returns(Task.CompletedTask).Verifiable();

        await Port().CreateTimer(fireAt, cts.Token);

        _durable.Verify();
    }

    [Fact]
    public async Task WaitForExternalEvent_ForwardsNameAndToken()
    {
        using var cts = new CancellationTokenSource();
        _durable.Setup(c => c.WaitForExternalEvent<string>(OrchestrationEvents.Cancel, cts.Token)).ReturnsAsync("stop");

        var payload = await Port().WaitForExternalEvent<string>(OrchestrationEvents.Cancel, cts.Token);

        Assert.Equal("stop", payload);
    }

    [Fact]
    public void SendEvent_ForwardsToDurable()
    {
        Port().SendEvent("r1:0", OrchestrationEvents.Cancel, "cancelled by the parent orchestration");

        _durable.Verify(c => c.SendEvent("r1:0", OrchestrationEvents.Cancel, "cancelled by the parent orchestration"), Times.Once);
    }

    [Fact]
    public void SetCustomStatus_PublishesTheProgressObject()
    {
        var progress = new RunProgress { InstanceId = "r1", Tasks = new StatusCounts(1, 0, 0, 0, 0), Results = new StatusCounts(0, 0, 0, 0, 0) };

        Port().SetCustomStatus(progress);

        _durable.Verify(c => c.SetCustomStatus(progress), Times.Once);
    }

    [Fact]
    public void Properties_ComeFromDurable_AndConcurrencyIsUnbounded()
    {
        var now = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        _durable.SetupGet(c => c.InstanceId).Returns("r1");
        _durable.SetupGet(c => c.CurrentUtcDateTime).Returns(now);
        _durable.SetupGet(c => c.IsReplaying).Returns(true);
        _durable.Setup(c => c.NewGuid()).Returns(guid);
        var port = Port();

        Assert.Equal("r1", port.InstanceId);
        Assert.Equal(now, port.CurrentUtcDateTime);
        Assert.True(port.IsReplaying);
        Assert.Equal(guid, port.NewGuid());
        Assert.Equal(int.MaxValue, port.MaxConcurrentActivities);
    }

    [Fact]
    public void ReportStateChange_WhileReplaying_KeepsTheRowButLogsNothing()
    {
        _durable.SetupGet(c => c.IsReplaying).Returns(true);
        var port = Port();
        var change = new StateChange { RunId = "r1", Task = "load", Action = StateAction.Started, Status = RunStatus.Running };

        port.ReportStateChange(change);

        Assert.Same(change, Assert.Single(port.RunLog));
        Assert.Empty(_logger.Entries);
    }

    [Fact]
    public void ReportStateChange_WhenNotReplaying_LogsRunIdAndTaskAsProperties()
    {
        _durable.SetupGet(c => c.IsReplaying).Returns(false);
        var port = Port();

        port.ReportStateChange(new StateChange { RunId = "r1", PipelineResult = 0, Task = "load", TaskResult = 3, Attempt = 2, Action = StateAction.Started, Status = RunStatus.Running });

        var entry = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal(4000, entry.EventId.Id);
        Assert.Equal("r1", entry.Properties["RunId"]);
        Assert.Equal("load", entry.Properties["Task"]);
        Assert.Equal(3, entry.Properties["TaskResult"]);
        Assert.Equal(2, entry.Properties["Attempt"]);
        Assert.Single(port.RunLog);
    }

    [Fact]
    public void ReportStateChange_WithError_LogsAWarningWithTheError()
    {
        _durable.SetupGet(c => c.IsReplaying).Returns(false);

        Port().ReportStateChange(new StateChange
        {
            RunId = "r1",
            Task = "price",
            Action = StateAction.Failed,
            Status = RunStatus.Failed,
            Error = new TaskError("System.TimeoutException", "timed out after 00:05:00"),
        });

        var entry = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal(4001, entry.EventId.Id);
        Assert.Equal("System.TimeoutException", entry.Properties["ErrorType"]);
        Assert.Equal("timed out after 00:05:00", entry.Properties["ErrorMessage"]);
    }

    [Fact]
    public void ReportStateChange_KeepsRowsInReportedOrder()
    {
        var port = Port();

        port.ReportStateChange(new StateChange { RunId = "r1", Action = StateAction.Started, Status = RunStatus.Running });
        port.ReportStateChange(new StateChange { RunId = "r1", Task = "a", Action = StateAction.Started, Status = RunStatus.Running });
        port.ReportStateChange(new StateChange { RunId = "r1", Action = StateAction.Succeeded, Status = RunStatus.Succeeded });

        Assert.Equal(new[] { StateAction.Started, StateAction.Started, StateAction.Succeeded }, port.RunLog.Select(r => r.Action));
        Assert.Equal(new string?[] { null, "a", null }, port.RunLog.Select(r => r.Task));
    }
}
