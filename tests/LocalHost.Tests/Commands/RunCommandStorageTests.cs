using System.Text.Json.Nodes;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.LocalHost.Tests.Commands;

/// <summary><c>dp run --runner durable --storage</c>: the engine on its Azure Storage backend, over a real Azurite.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class RunCommandStorageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Run_DurableOnStorage_RunsInTheAccountsTaskHubAndStoresTheRecordThere()
    {
        ArgumentNullException.ThrowIfNull(azurite);
        var runId = $"on-storage-{Guid.NewGuid():N}";

        var result = await Cli.RunAsync("run", "hello", "-i", """{ "greeting": "hi" }""", "--runner", "durable", "--storage", azurite.ConnectionString,
            "--run-id", runId, "-o", "json", "--pipelines", Cli.Pipelines);

        Assert.True(result.Exit == 0, result.ToString());
        var record = JsonNode.Parse(result.Out)!;
        Assert.Equal("Succeeded", record["status"]!.GetValue<string>());
        Assert.Equal("durable", record["runner"]!.GetValue<string>());
        var queues = new List<string>();
        await foreach (var queue in StorageClients.CreateQueueServiceClient(azurite.ConnectionString).GetQueuesAsync(prefix: "durablepipelines-"))
        {
            queues.Add(queue.Name);
        }

        Assert.Contains("durablepipelines-workitems", queues);
        var runs = new List<string>();
        await foreach (var blob in StorageClients.CreateBlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("runs").GetBlobsAsync())
        {
            runs.Add(blob.Name);
        }

        Assert.Contains(runs, name => name.Contains(runId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_StorageWithoutTheDurableRunner_RefusedExit2()
    {
        var result = await Cli.RunAsync("run", "hello", "--storage", "UseDevelopmentStorage=true", "--pipelines", Cli.Pipelines);

        Assert.Equal(2, result.Exit);
        Assert.Equal("--storage goes with --runner durable", result.ErrorLines[0]);
    }
}
