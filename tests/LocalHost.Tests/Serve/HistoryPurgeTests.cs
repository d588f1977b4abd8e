using System.Net;
using System.Text.Json.Nodes;
using DurablePipelines.Records;
using DurablePipelines.TestSupport.Azurite;
using DurableTask.Core;

namespace DurablePipelines.LocalHost.Tests.Serve;

/// <summary>
/// <c>Pipelines:HistoryRetention</c>: <c>dp serve</c> purges the engine's history of orchestrations that ended, and
/// keeps what is still going, the runs' own records and logs, and the use of a run id again.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class HistoryPurgeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task RetentionZero_EndedRunsArePurged_RunningOnesRecordsAndRunIdsStay()
    {
        await using var serve = await ServeApp.StartAsync(azurite, new Dictionary<string, string?> { ["Pipelines:HistoryRetention"] = "00:00:00" });
        using (var held = await serve.StartAsync("long", new JsonObject(), "purge-held"))
        {
            Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
        }

        await serve.WaitForProgressAsync("purge-held", p => p.RunningTasks.Contains("wait"));
        using (var started = await serve.StartAsync("hello", new JsonObject(), "purge-1"))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        await serve.WaitForRunAsync("purge-1");
        await serve.WaitForOrchestrationCompletedAsync("purge-1");
        Assert.True(await serve.CountHistoryRowsAsync("purge-1") > 0, "a completed run has history until it is purged");

        // Sweeps run every second with a retention of zero.
        await serve.WaitUntilTheEngineHasNoOrchestrationAsync("purge-1");
        Assert.Equal(0, await serve.CountHistoryRowsAsync("purge-1"));

        var record = await serve.GetRunAsync("purge-1");
        Assert.Equal(RunStatus.Succeeded, record!.Status);
        Assert.Contains(await serve.GetLogAsync("purge-1"), r => r.PipelineResult is null && r.Action == StateAction.Succeeded);

        // Several sweeps have passed the run that is still going: its orchestration is intact and it finishes.
        Assert.Equal(OrchestrationStatus.Running, await serve.GetOrchestrationStatusAsync("purge-held"));
        Assert.True(await serve.CountHistoryRowsAsync("purge-held") > 0);
        serve.Held.Release();
        Assert.Equal(RunStatus.Succeeded, (await serve.WaitForRunAsync("purge-held")).Status);

        // The run id of a purged run may start again, as that of any finished run.
        using (var again = await serve.StartAsync("hello", new JsonObject(), "purge-1"))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        }

        var second = await serve.WaitForRunAsync("purge-1", r => r.Status.IsFinal() && r.CreatedAt > record.CreatedAt);
        Assert.Equal(RunStatus.Succeeded, second.Status);
        await serve.WaitUntilTheEngineHasNoOrchestrationAsync("purge-held");
    }

    // The backend deletes an instance's large-message blobs by the prefix of its id with no "/" after it; the purge
    // leaves "pfx-1" for later while "pfx-10" is going, instead of taking "pfx-10"'s blobs with it.
    [Fact]
    public async Task PurgingARun_KeepsTheLargeMessagesOfARunGoingWhoseIdBeginsWithItsId()
    {
        await using var serve = await ServeApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Pipelines:HistoryRetention"] = "00:00:00",

            // The input goes to the engine inline, which keeps it in large-message blobs of its own.
            ["Pipelines:InlinePayloadLimit"] = "1000000",
        });
        var large = new JsonObject { ["text"] = new string('x', 100_000) };
        using (var held = await serve.StartAsync("long", large, "pfx-10"))
        {
            Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
        }

        await serve.WaitForProgressAsync("pfx-10", p => p.RunningTasks.Contains("wait"));
        var blobs = await serve.ListLargeMessagesAsync("pfx-10/");
        Assert.NotEmpty(blobs);

        using (var started = await serve.StartAsync("hello", large, "pfx-1"))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        await serve.WaitForRunAsync("pfx-1");
        await serve.WaitForOrchestrationCompletedAsync("pfx-1");
        Assert.NotEmpty(await serve.ListLargeMessagesAsync("pfx-1/"));

        // Sweeps pass every second; "pfx-1" stays while "pfx-10" goes on, and so do the blobs of both.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(OrchestrationStatus.Completed, await serve.GetOrchestrationStatusAsync("pfx-1"));
        Assert.Empty(blobs.Except(await serve.ListLargeMessagesAsync("pfx-10/")));

        serve.Held.Release();
        Assert.Equal(RunStatus.Succeeded, (await serve.WaitForRunAsync("pfx-10")).Status);

        // Both ended: both are purged, blobs and all.
        await serve.WaitUntilTheEngineHasNoOrchestrationAsync("pfx-1");
        await serve.WaitUntilTheEngineHasNoOrchestrationAsync("pfx-10");

        // A purge deletes an instance's row, history and blobs side by side: the row may go first.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<string> left;
        while ((left = await serve.ListLargeMessagesAsync("pfx-1")).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Empty(left);
    }
}
