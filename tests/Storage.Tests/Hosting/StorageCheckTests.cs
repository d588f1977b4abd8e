using Azure;
using Azure.Storage.Blobs;
using DurablePipelines.Storage.Hosting;
using DurablePipelines.Storage.Tests.Blobs;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.Storage.Tests.Hosting;

[Collection(AzuriteFixture.Collection)]
public sealed class StorageCheckTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task FindProblemAsync_StockAzurite_None()
    {
        var storage = new StorageOptions { ConnectionString = azurite.ConnectionString };

        Assert.Null(await StorageCheck.FindProblemAsync(storage, CancellationToken.None));
    }

    [Fact]
    public async Task Explain_AzuriteRefusesTheApiVersion_OneLineWithCauseAndFix()
    {
        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("any").ExistsAsync());

        var problem = StorageCheck.Explain(failure, azurite.BlobEndpoint);

        Assert.Equal(
            $"storage at {azurite.BlobEndpoint} does not accept API version 2026-06-06, the one this app sends " +
            "(400 InvalidHeaderValue: The API version 2026-10-06 is not supported by Azurite): " +
            "update Azurite to 3.37.0 or later, or start it with --skipApiVersionCheck",
            problem);
    }

    [Fact]
    public async Task Explain_WrongAccountKey_RefusedWithTheServiceReason()
    {
        var wrongKey = azurite.ConnectionString.Replace(AzuriteFixture.AccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        var storage = new StorageOptions { ConnectionString = wrongKey };

        var problem = await StorageCheck.FindProblemAsync(storage, CancellationToken.None);

        Assert.NotNull(problem);
        Assert.StartsWith($"storage at {azurite.BlobEndpoint} refused the request (403 AuthorizationFailure: ", problem, StringComparison.Ordinal);
        Assert.EndsWith("): check AzureWebJobsStorage", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void Explain_ConnectionRefused_SaysStartAzurite()
    {
        var endpoint = new Uri($"http://127.0.0.1:{StorageFailuresTests.ClosedPort()}/devstoreaccount1");
        var failure = new AggregateException(new RequestFailedException(0, "Connection refused (127.0.0.1:1)", new HttpRequestException("Connection refused (127.0.0.1:1)")));

        Assert.Equal(
            $"storage at {endpoint} cannot be reached (Connection refused (127.0.0.1:1)): start Azurite, or check AzureWebJobsStorage",
            StorageCheck.Explain(failure, endpoint));
    }

    [Fact]
    public void Explain_NotAStorageFailure_Null() =>
        Assert.Null(StorageCheck.Explain(new ArgumentException("a bug"), azurite.BlobEndpoint));
}
