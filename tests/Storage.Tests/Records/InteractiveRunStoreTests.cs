using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Azure;
using DurablePipelines.Records;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.Storage.Hosting;
using DurablePipelines.Storage.Records;
using DurablePipelines.Storage.Tests.Blobs;
using DurablePipelines.TestSupport.Azurite;
using DurablePipelines.TestSupport.Time;

namespace DurablePipelines.Storage.Tests.Records;

[Collection(AzuriteFixture.Collection)]
public sealed class InteractiveRunStoreTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(2);

    // The store's clock: its time limit fires only when a test moves it, never because a loaded machine was slow.
    private readonly TestClock _clock = new();

    [Fact]
    public async Task TryCreateAsync_StorageAnswers_SameAsTheBlobStore()
    {
        var store = Store(azurite.ConnectionString);
        var record = new PipelineExecution { RunId = "interactive-1", Pipeline = "orders", Runner = "local", Status = RunStatus.Pending, CreatedAt = DateTime.UnixEpoch, Input = new JsonObject() };

        var claim = await store.TryCreateAsync(record, null, CancellationToken.None);

        Assert.True(claim.Created);
        Assert.Equal(RunStatus.Pending, (await store.GetAsync("interactive-1", CancellationToken.None))?.Status);
        Assert.Empty(await store.GetLogAsync("interactive-1", CancellationToken.None));
    }

    // The store's clock never moves here: the failure cannot come from its time limit.
    [Fact]
    public async Task GetAsync_NothingListens_UnavailableWithTheSocketErrorWithoutWaitingForTheTimeout()
    {
        var port = StorageFailuresTests.ClosedPort();
        var store = Store(ConnectionString(port));

        var failure = await Assert.ThrowsAsync<RunStoreUnavailableException>(() => store.GetAsync("any", CancellationToken.None).WaitAsync(TestClock.WaitLimit));

        Assert.Equal($"storage cannot be reached: Connection refused (127.0.0.1:{port})", failure.Message);
    }

    [Fact]
    public async Task ListAsync_StorageNeverAnswers_UnavailableWhenTheTimeoutPasses()
    {
        // Accepts connections and never answers, as a storage process that hangs does.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var store = Store(ConnectionString(((IPEndPoint)silent.LocalEndpoint).Port), networkTimeout: TimeSpan.FromMinutes(1));

        var listing = store.ListAsync(new RunQuery(null, null, 10), CancellationToken.None);
        using var accepted = await silent.AcceptTcpClientAsync().WaitAsync(TestClock.WaitLimit);
        _clock.Advance(s_timeout - TimeSpan.FromTicks(1));
        Assert.Equal(1, _clock.WaitingTimers);
        _clock.Advance(TimeSpan.FromTicks(1));

        var failure = await Assert.ThrowsAsync<RunStoreUnavailableException>(() => listing.WaitAsync(TestClock.WaitLimit));
        Assert.Equal("storage did not answer within 2 s", failure.Message);
    }

    [Fact]
    public async Task GetAsync_CallerCancels_CancelledNotUnavailable()
    {
        var store = Store(ConnectionString(StorageFailuresTests.ClosedPort()));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var failure = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetAsync("any", cancelled.Token));

        Assert.IsNotType<RunStoreUnavailableException>(failure);
    }

    [Fact]
    public async Task GetAsync_StorageRefusesTheKey_RefusalPassesUnchanged()
    {
        var wrongKey = azurite.ConnectionString.Replace(AzuriteFixture.AccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        var store = Store(wrongKey);

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => store.GetAsync("any", CancellationToken.None));

        Assert.Equal(403, failure.Status);
    }

    private InteractiveRunStore Store(string connectionString, TimeSpan? networkTimeout = null)
    {
        var options = new StorageOptions { ConnectionString = connectionString, InteractiveTimeout = networkTimeout ?? s_timeout };
        var container = StorageClients.CreateBlobServiceClient(options, StorageUse.Interactive).GetBlobContainerClient(AzuriteFixture.UniqueName("interactive"));
        return new InteractiveRunStore(new BlobRunStore(container), s_timeout, _clock);
    }

    private static string ConnectionString(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};BlobEndpoint=http://127.0.0.1:{port}/{AzuriteFixture.AccountName};";
}
