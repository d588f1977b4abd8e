using Azure.Identity;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.Storage.Hosting;
using Microsoft.Extensions.Configuration;

namespace DurablePipelines.Storage.Tests.Hosting;

/// <summary>The storage account as every host reads it from configuration, in the forms the Functions host accepts.</summary>
public sealed class StorageOptionsTests
{
    [Fact]
    public void Bind_ConnectionString_IsTheAccount()
    {
        var options = Bind(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://127.0.0.1" });

        Assert.Equal("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://127.0.0.1", options.ConnectionString);
        Assert.False(options.UsesIdentity);
    }

    [Fact]
    public void Bind_SectionConnectionString_WinsOverTheSharedAccount()
    {
        var options = Bind(new() { ["AzureWebJobsStorage__accountName"] = "stprod", ["Pipelines:Storage:ConnectionString"] = "UseDevelopmentStorage=true" });

        Assert.Equal("UseDevelopmentStorage=true", options.ConnectionString);
        Assert.False(options.UsesIdentity);
    }

    [Fact]
    public void Bind_IdentityBasedAccountAsInfraDeploysIt_ReachesTheAccountsEndpointsWithTheUserAssignedIdentity()
    {
        // What infra/modules/functionapp.bicep sets on the app (environment variables with __ for :).
        var options = Bind(new()
        {
            ["AzureWebJobsStorage__accountName"] = "stdpdev",
            ["AzureWebJobsStorage__credential"] = "managedidentity",
            ["AzureWebJobsStorage__clientId"] = "00000000-0000-0000-0000-000000000001",
        });

        Assert.True(options.UsesIdentity);
        Assert.Empty(options.Validate());
        Assert.Equal(new Uri("https://stdpdev.blob.core.windows.net"), StorageClients.CreateBlobServiceClient(options).Uri);
        Assert.Equal(new Uri("https://stdpdev.queue.core.windows.net"), StorageClients.CreateQueueServiceClient(options).Uri);
        Assert.IsType<ManagedIdentityCredential>(StorageClients.CreateCredential(options));
    }

    [Fact]
    public void Bind_ExplicitServiceUris_AreUsedAsGivenWithTheDefaultCredentialChain()
    {
        var options = Bind(new()
        {
            ["AzureWebJobsStorage__blobServiceUri"] = "https://blobs.example.test/",
            ["AzureWebJobsStorage__queueServiceUri"] = "https://queues.example.test/",
        });

        Assert.Equal(new Uri("https://blobs.example.test/"), StorageClients.CreateBlobServiceClient(options).Uri);
        Assert.Equal(new Uri("https://queues.example.test/"), StorageClients.CreateQueueServiceClient(options).Uri);
        Assert.IsType<DefaultAzureCredential>(StorageClients.CreateCredential(options));
    }

    [Fact]
    public void Validate_IdentityWithOneEndpointAndAnUnknownCredential_ReportsBoth()
    {
        var options = Bind(new() { ["AzureWebJobsStorage__blobServiceUri"] = "https://blobs.example.test/", ["AzureWebJobsStorage__credential"] = "certificate" });

        Assert.Equal(
            [
                "an account reached by identity needs both endpoints: AzureWebJobsStorage__accountName, or AzureWebJobsStorage__blobServiceUri and AzureWebJobsStorage__queueServiceUri",
                "AzureWebJobsStorage__credential 'certificate' is not supported: use 'managedidentity' or leave it unset for the default credential chain",
            ],
            options.Validate());
    }

    [Fact]
    public void Validate_InteractiveTimeoutAndRetriesOutOfRange_ReportsBoth()
    {
        var options = Bind(new() { ["Pipelines__Storage__InteractiveTimeout"] = "00:00:00.050", ["Pipelines__Storage__InteractiveRetries"] = "11" });

        Assert.Equal(
            [
                "Pipelines:Storage:InteractiveTimeout must be between 00:00:00.1 and 00:05:00",
                "Pipelines:Storage:InteractiveRetries must be between 0 and 10",
            ],
            options.Validate());
    }

    [Fact]
    public void InteractiveDefaults_GiveUpWithinTwoSeconds()
    {
        var options = new StorageOptions();

        Assert.Equal((TimeSpan.FromSeconds(2), 2), (options.InteractiveTimeout, options.InteractiveRetries));
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Bind_NoAccountSetting_KeepsTheDevelopmentStorage() =>
        Assert.Equal(StorageOptions.DevelopmentConnectionString, Bind([]).ConnectionString);

    private static StorageOptions Bind(Dictionary<string, string?> settings)
    {
        // Environment-variable spelling (__) as on Azure, read the way .NET configuration reads it (:).
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => s.Value))
            .Build();
        return new StorageOptions().Bind(configuration);
    }
}
