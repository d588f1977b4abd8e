using DurablePipelines.Durable.Activities;
using DurablePipelines.Records;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurablePipelines.Durable.Tests.Activities;

public class RunStoreActivitiesTests
{
    private readonly InMemoryRunStore _store = new();

    private RunStoreActivities Sut() => new(_store, NullLogger<RunStoreActivities>.Instance);

    [Fact]
    public async Task SaveRunRecord_WritesTheRecordAndItsRunLog()
    {
        var record = new PipelineExecution { RunId = "r1", Pipeline = "orders", Status = RunStatus.Succeeded };
        var rows = new[]
        {
            new StateChange { RunId = "r1", Action = StateAction.Started, Status = RunStatus.Running },
            new StateChange { RunId = "r1", Action = StateAction.Succeeded, Status = RunStatus.Succeeded },
        };

        await Sut().SaveRunRecordAsync(new SaveRunRecordRequest(record, rows), CancellationToken.None);

        Assert.Equal(RunStatus.Succeeded, (await _store.GetAsync("r1", CancellationToken.None))?.Status);
        Assert.Equal(new[] { StateAction.Started, StateAction.Succeeded }, (await _store.GetLogAsync("r1", CancellationToken.None)).Select(r => r.Action));
    }

    [Fact]
    public async Task AppendRunLog_AppendsAfterRowsAlreadyThere()
    {
        await _store.AppendLogAsync("r1", [new StateChange { RunId = "r1", Action = StateAction.Started }], CancellationToken.None);

        await Sut().AppendRunLogAsync(new AppendRunLogRequest("r1", [new StateChange { RunId = "r1", PipelineResult = 0, Action = StateAction.Succeeded }]), CancellationToken.None);

        Assert.Equal(new[] { StateAction.Started, StateAction.Succeeded }, (await _store.GetLogAsync("r1", CancellationToken.None)).Select(r => r.Action));
    }
}
