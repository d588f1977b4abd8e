using DurablePipelines.Definitions;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.Storage.Records;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests.Serve;

/// <summary>
/// A start whose host stopped after the run's claim and before its orchestration was created: the record stays
/// <c>Pending</c> with the run as admitted, and the next <c>dp serve</c> on the account creates the orchestration.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class AdmittedRunTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ServeStarts_RunClaimedButNeverScheduled_RunsItAndPinsItForARerun()
    {
        var container = AzuriteFixture.UniqueName("runs");
        var store = new BlobRunStore(StorageClients.CreateBlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(container));
        var admitted = new RunPipelineInput
        {
            RunId = "orphan-1",
            Definition = new PipelineBuilder("hello").Task("say", "echo", t => t.Config(new System.Text.Json.Nodes.JsonObject { ["message"] = "hi" })).Build(),
            Runner = "durable",
            CreatedAt = DateTime.UtcNow,
            Settings = new OrchestrationSettings(),
        };
        Assert.True((await store.TryCreateAsync(RunRecords.Pending(admitted), admitted, default)).Created);
        var unknown = admitted with { RunId = "orphan-2" };
        Assert.True((await store.TryCreateAsync(RunRecords.Pending(unknown), admitted: null, default)).Created);

        await using var serve = await ServeApp.StartAsync(azurite, new Dictionary<string, string?> { ["Pipelines:Storage:RunsContainer"] = container });

        var run = await serve.WaitForRunAsync("orphan-1");
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("say", Assert.Single(Assert.Single(run.PipelineResults).TaskExecutions).Task);
        Assert.Equal(admitted.Definition.Name, (await store.GetPinnedAsync("orphan-1", default))?.Definition.Name);

        // A Pending record without the run as admitted cannot be started: it fails with the reason, not silently.
        var lost = (await store.GetAsync("orphan-2", default))!;
        Assert.Equal(RunStatus.Failed, lost.Status);
        Assert.Equal("the run was admitted but never started, and the run as admitted is no longer stored; start it again", lost.Error!.Message);
    }
}
