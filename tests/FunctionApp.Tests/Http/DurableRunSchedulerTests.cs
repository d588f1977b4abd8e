using DurablePipelines.Definitions;
using DurablePipelines.FunctionApp.Http;
using DurablePipelines.Orchestration;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace DurablePipelines.FunctionApp.Tests.Http;

public class DurableRunSchedulerTests
{
    private readonly Mock<DurableTaskClient> _client = new("test");

    private DurableRunScheduler Scheduler() => new(_client.Object, NullLogger.Instance);

    [Fact]
    public async Task ScheduleAsync_StartsRunPipelineWithTheRunIdAsInstanceId()
    {
        var run = new RunPipelineInput { RunId = "orders-2030-01-01", Definition = new PipelineBuilder("orders").Task("a", "echo").Build() };
        _client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(run.RunId);

        await Scheduler().ScheduleAsync(run, CancellationToken.None);

        _client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(
            It.Is<TaskName>(n => n.Name == OrchestratorNames.RunPipeline),
            run,
            It.Is<StartOrchestrationOptions?>(o => o != null && o.InstanceId == "orders-2030-01-01"),
            It.IsAny<CancellationToken>()), Times.Once);
    }

    // A run id used again: the earlier run's record is final a moment before its orchestration ends, and the
    // extension refuses a start meanwhile (overridableExistingInstanceStates: NonRunningStates, its default).
    [Fact]
    public async Task ScheduleAsync_EarlierOrchestrationOfTheRunIdStillEnding_StartsOnceItHasEnded()
    {
        var run = new RunPipelineInput { RunId = "again-1", Definition = new PipelineBuilder("orders").Task("a", "echo").Build() };
        _client.SetupSequence(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OrchestrationAlreadyExistsException("An Orchestration instance with the ID again-1 already exists."))
            .ThrowsAsync(new OrchestrationAlreadyExistsException("An Orchestration instance with the ID again-1 already exists."))
            .ReturnsAsync(run.RunId);

        await Scheduler().ScheduleAsync(run, CancellationToken.None);

        _client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), run, It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    [Fact]
    public async Task ScheduleAsync_OtherFailure_IsNotRetried()
    {
        var run = new RunPipelineInput { RunId = "r-broken", Definition = new PipelineBuilder("orders").Task("a", "echo").Build() };
        _client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("storage is away"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Scheduler().ScheduleAsync(run, CancellationToken.None));

        _client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Running)]
    [InlineData(OrchestrationRuntimeStatus.Pending)]
    [InlineData(OrchestrationRuntimeStatus.Suspended)]
    public async Task CancelAsync_ActiveInstance_RaisesTheCancelEvent(OrchestrationRuntimeStatus status)
    {
        Instance(new OrchestrationMetadata(OrchestratorNames.RunPipeline, "r1") { RuntimeStatus = status });

        var cancelled = await Scheduler().CancelAsync("r1", CancellationToken.None);

        Assert.True(cancelled);
        _client.Verify(c => c.RaiseEventAsync("r1", OrchestrationEvents.Cancel, It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Completed)]
    [InlineData(OrchestrationRuntimeStatus.Failed)]
    [InlineData(OrchestrationRuntimeStatus.Terminated)]
    public async Task CancelAsync_FinishedInstance_ReturnsFalseWithoutEvent(OrchestrationRuntimeStatus status)
    {
        Instance(new OrchestrationMetadata(OrchestratorNames.RunPipeline, "r1") { RuntimeStatus = status });

        Assert.False(await Scheduler().CancelAsync("r1", CancellationToken.None));
        _client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SetSuspendedAsync_ActiveInstance_RaisesTheSuspensionEventWithTheFlag(bool suspended)
    {
        Instance(new OrchestrationMetadata(OrchestratorNames.RunPipeline, "r1") { RuntimeStatus = OrchestrationRuntimeStatus.Running });

        Assert.True(await Scheduler().SetSuspendedAsync("r1", suspended, CancellationToken.None));
        _client.Verify(c => c.RaiseEventAsync("r1", OrchestrationEvents.Suspension, suspended, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task SetSuspendedAsync_FinishedInstance_ReturnsFalseWithoutEvent()
    {
        Instance(new OrchestrationMetadata(OrchestratorNames.RunPipeline, "r1") { RuntimeStatus = OrchestrationRuntimeStatus.Completed });

        Assert.False(await Scheduler().SetSuspendedAsync("r1", true, CancellationToken.None));
        _client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RepairAsync_ActiveInstance_RaisesTheRepairEventWithTheMessage()
    {
        Instance(new OrchestrationMetadata(OrchestratorNames.RunPipeline, "r1") { RuntimeStatus = OrchestrationRuntimeStatus.Running });
        var repair = new RepairMessage { PipelineResult = 0, Task = "load", TaskResult = 2, Action = RepairAction.Skip, By = "ann" };

        Assert.True(await Scheduler().RepairAsync("r1", repair, CancellationToken.None));
        _client.Verify(c => c.RaiseEventAsync("r1", OrchestrationEvents.Repair, repair, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RepairAsync_FinishedInstance_ReturnsFalseWithoutEvent()
    {
        Instance(new OrchestrationMetadata(OrchestratorNames.RunPipeline, "r1") { RuntimeStatus = OrchestrationRuntimeStatus.Completed });

        Assert.False(await Scheduler().RepairAsync("r1", new RepairMessage { Task = "load" }, CancellationToken.None));
        _client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CancelAsync_UnknownInstance_ReturnsFalseWithoutEvent()
    {
        Instance(null);

        Assert.False(await Scheduler().CancelAsync("r1", CancellationToken.None));
        _client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private void Instance(OrchestrationMetadata? metadata) =>
        _client.Setup(c => c.GetInstanceAsync("r1", false, It.IsAny<CancellationToken>())).ReturnsAsync(metadata);
}
