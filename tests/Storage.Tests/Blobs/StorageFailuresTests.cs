using System.Net;
using System.Net.Sockets;
using Azure;
using Azure.Storage.Blobs;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.TestSupport.Azurite;

namespace DurablePipelines.Storage.Tests.Blobs;

[Collection(AzuriteFixture.Collection)]
public sealed class StorageFailuresTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(412, false)]
    public void IsUnavailable_ByStatus_OnlyDownBusyOrFailing(int status, bool expected)
    {
        Assert.Equal(expected, StorageFailures.IsUnavailable(new RequestFailedException(status, "x"), CancellationToken.None));
        Assert.Equal(expected, StorageFailures.IsUnavailable(new AggregateException(new RequestFailedException(status, "x")), CancellationToken.None));
    }

    [Fact]
    public void IsUnavailable_CancelledByTheCaller_False()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.False(StorageFailures.IsUnavailable(new OperationCanceledException(cancelled.Token), cancelled.Token));
        Assert.True(StorageFailures.IsUnavailable(new OperationCanceledException(), CancellationToken.None));
    }

    [Fact]
    public async Task IsUnavailable_NothingListensAfterRetries_TrueWithTheSocketError()
    {
        var port = ClosedPort();
        var blobs = new BlobServiceClient(new Uri($"http://127.0.0.1:{port}/devstoreaccount1"), new BlobClientOptions(StorageClients.BlobServiceVersion)
        {
            Retry = { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(10) },
        });

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => blobs.GetBlobContainerClient("any").ExistsAsync());

        Assert.True(StorageFailures.IsUnavailable(failure, CancellationToken.None), failure.ToString());
        Assert.False(StorageFailures.IsUnsupportedVersion(failure));
        Assert.Equal($"Connection refused (127.0.0.1:{port})", StorageFailures.Reason(failure));
    }

    [Fact]
    public async Task IsUnsupportedVersion_AzuriteRefusesTheSdkDefault_TrueAndNotUnavailable()
    {
        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("any").ExistsAsync());

        Assert.True(StorageFailures.IsUnsupportedVersion(failure));
        Assert.False(StorageFailures.IsUnavailable(failure, CancellationToken.None));
        Assert.Equal("400 InvalidHeaderValue: The API version 2026-10-06 is not supported by Azurite. Please upgrade Azurite to latest version and retry. If you are using Azurite in Visual Studio, please check you have installed latest Visual Studio patch. Azurite command line parameter \"--skipApiVersionCheck\" or Visual Studio Code configuration \"Skip Api Version Check\" can skip this error.", StorageFailures.Reason(failure));
    }

    [Fact]
    public void IsUnsupportedVersion_OtherBadRequest_False() =>
        Assert.False(StorageFailures.IsUnsupportedVersion(new RequestFailedException(400, "The value for one of the query parameters is invalid.", "InvalidQueryParameterValue", null)));

    /// <summary>A loopback port nothing listens on (taken and released at once).</summary>
    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
