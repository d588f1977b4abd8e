using Azure.Storage.Blobs;
using DurablePipelines.Hosting;
using DurablePipelines.Payloads;
using DurablePipelines.Records;
using DurablePipelines.Storage.Hosting;
using DurablePipelines.Storage.Payloads;
using DurablePipelines.Storage.Queues;
using DurablePipelines.Storage.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DurablePipelines.Storage.Tests.Hosting;

public sealed class StorageServiceCollectionExtensionsTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AddAzureStoragePipelines_EitherOrderWithAddDurablePipelines_BlobStoresWin(bool storageFirst)
    {
        var services = BothInOrder(storageFirst);
        using var provider = services.BuildServiceProvider();

        Assert.IsType<BlobPayloadStore>(provider.GetRequiredService<IPayloadStore>());
        Assert.IsType<BlobRunStore>(provider.GetRequiredService<IRunStore>());
        Assert.Single(services, d => d.ServiceType == typeof(IPayloadStore));
        Assert.NotNull(provider.GetRequiredService<QueueEventPublisher>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AddAzureStoragePipelines_EitherOrderWithAddDurablePipelines_TheApiAnswersFromTheInteractiveStore(bool storageFirst)
    {
        var services = BothInOrder(storageFirst);
        using var provider = services.BuildServiceProvider();

        Assert.IsType<InteractiveRunStore>(provider.GetRequiredKeyedService<IRunStore>(RunStoreKeys.Interactive));
        Assert.IsType<BlobRunStore>(provider.GetRequiredService<IRunStore>());
        Assert.NotSame(provider.GetRequiredService<BlobServiceClient>(), provider.GetRequiredKeyedService<BlobServiceClient>(RunStoreKeys.Interactive));
    }

    [Fact]
    public void AddAzureStoragePipelines_InvalidOptions_ReportsEveryProblem()
    {
        var services = new ServiceCollection().AddAzureStoragePipelines(o =>
        {
            o.RunsContainer = "Runs_Container";
            o.StartQueue = "q";
            o.ReceiveBatchSize = 33;
            o.VisibilityTimeout = TimeSpan.Zero;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Equal(
            [
                "Pipelines:Storage:RunsContainer 'Runs_Container' is not a container name (3-63 lowercase letters, digits and single hyphens)",
                "Pipelines:Storage:StartQueue 'q' is not a queue name (3-63 lowercase letters, digits and single hyphens)",
                "Pipelines:Storage:VisibilityTimeout must be between 00:00:01 and 7.00:00:00",
                "Pipelines:Storage:ReceiveBatchSize must be between 1 and 32",
            ],
            error.Failures);
    }

    [Fact]
    public void StorageOptions_Defaults_AreValid() => Assert.Empty(new StorageOptions().Validate());

    private static ServiceCollection BothInOrder(bool storageFirst)
    {
        var services = new ServiceCollection();
        if (storageFirst)
        {
            services.AddAzureStoragePipelines();
            services.AddDurablePipelines();
        }
        else
        {
            services.AddDurablePipelines();
            services.AddAzureStoragePipelines();
        }

        return services;
    }
}
