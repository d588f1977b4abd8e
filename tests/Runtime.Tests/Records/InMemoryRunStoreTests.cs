using DurablePipelines.Definitions;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;

namespace DurablePipelines.Tests.Records;

public sealed class InMemoryRunStoreTests
{
    private static RunPipelineInput Run(string runId) => new()
    {
        RunId = runId,
        Definition = new PipelineBuilder("p").Task("t", "echo").Build(),
        Runner = "local",
        CreatedAt = new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc),
    };

    [Fact]
    public async Task TryCreateAsync_ActiveRun_RefusesWithItsRecordAndKeepsTheFirstRunAsAdmitted()
    {
        var store = new InMemoryRunStore();
        var first = Run("r1");
        await store.TryCreateAsync(RunRecords.Pending(first), first, default);

        var claim = await store.TryCreateAsync(RunRecords.Pending(first) with { Runner = "other" }, Run("r1") with { Runner = "other" }, default);

        Assert.False(claim.Created);
        Assert.Equal("local", claim.Active?.Runner);
        Assert.Same(first, await store.GetAdmittedAsync("r1", default));
    }

    [Fact]
    public async Task SaveAsync_AfterTheClaim_DropsTheRunAsAdmitted()
    {
        var store = new InMemoryRunStore();
        var run = Run("r1");
        await store.TryCreateAsync(RunRecords.Pending(run), run, default);

        await store.SaveAsync(RunRecords.Pending(run) with { Status = RunStatus.Running }, default);

        Assert.Null(await store.GetAdmittedAsync("r1", default));
        Assert.Equal(RunStatus.Running, (await store.GetAsync("r1", default))?.Status);
    }

    [Fact]
    public async Task TryCreateAsync_FinishedRunReplacedWithoutTheRunAsAdmitted_HasNone()
    {
        var store = new InMemoryRunStore();
        var run = Run("r1");
        await store.TryCreateAsync(RunRecords.Pending(run), run, default);
        await store.SaveAsync(RunRecords.Pending(run) with { Status = RunStatus.Succeeded }, default);

        Assert.True((await store.TryCreateAsync(RunRecords.Pending(run), admitted: null, default)).Created);

        Assert.Null(await store.GetAdmittedAsync("r1", default));
        Assert.Empty(await store.GetLogAsync("r1", default));
    }

    [Fact]
    public async Task GetPinnedAsync_AfterTheRecordIsSaved_ThePinnedRunWithoutItsRerun_UntilAClaimReplacesIt()
    {
        var store = new InMemoryRunStore();
        var run = Run("r1") with { Rerun = new Rerun { SourceRunId = "r0" } };
        await store.TryCreateAsync(RunRecords.Pending(run), run, default);
        Assert.Null(await store.GetPinnedAsync("r1", default));
        await store.PinAsync(run, default);
        await store.SaveAsync(RunRecords.Pending(run) with { Status = RunStatus.Failed }, default);

        Assert.Equal(run with { Rerun = null }, await store.GetPinnedAsync("r1", default));
        Assert.Null(await store.GetPinnedAsync("unknown", default));

        Assert.True((await store.TryCreateAsync(RunRecords.Pending(run), admitted: null, default)).Created);

        Assert.Null(await store.GetPinnedAsync("r1", default));
    }
}
