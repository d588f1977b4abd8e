using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurablePipelines.Api;
using DurablePipelines.Payloads;
using DurablePipelines.Records;
using DurablePipelines.Storage.Blobs;
using DurablePipelines.Storage.Payloads;
using DurablePipelines.Storage.Queues;
using DurablePipelines.Storage.Records;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurablePipelines.Storage.Hosting;

/// <summary>Registers the Azure Storage adapters shared by the local host and the Function App.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="BlobServiceClient"/> and <see cref="QueueServiceClient"/> retrying for background work, and a
    /// <see cref="BlobServiceClient"/> keyed <see cref="RunStoreKeys.Interactive"/> retrying for the HTTP API
    /// (<see cref="StorageUse"/>; each unless the host registered its own), <see cref="BlobRunStore"/> as
    /// <see cref="IRunStore"/>, a store over the interactive client that gives up after
    /// <see cref="StorageOptions.InteractiveTimeout"/> as the <see cref="IRunStore"/> keyed
    /// <see cref="RunStoreKeys.Interactive"/>, <see cref="BlobPayloadStore"/> as <see cref="IPayloadStore"/>,
    /// and <see cref="QueueEventPublisher"/> as the <see cref="IRunEventPublisher"/>, or one that sends nothing when
    /// <see cref="StorageOptions.PublishEvents"/> is off.
    /// The stores replace any earlier registration (the in-memory defaults of <c>AddDurablePipelines</c>), and
    /// <c>AddDurablePipelines</c> only adds its defaults when none is registered, so the two calls may come in
    /// either order. Options are validated on start, every problem at once.
    /// </summary>
    public static IServiceCollection AddAzureStoragePipelines(this IServiceCollection services, Action<StorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<StorageOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => StorageClients.CreateBlobServiceClient(Options(sp)));
        services.TryAddSingleton(sp => StorageClients.CreateQueueServiceClient(Options(sp)));
        services.TryAddKeyedSingleton(RunStoreKeys.Interactive, (sp, _) => StorageClients.CreateBlobServiceClient(Options(sp), StorageUse.Interactive));

        services.RemoveAll<IRunStore>();
        services.AddSingleton<IRunStore>(sp => new BlobRunStore(Container(sp, Options(sp).RunsContainer)));
        services.RemoveAllKeyed<IRunStore>(RunStoreKeys.Interactive);
        services.AddKeyedSingleton<IRunStore>(RunStoreKeys.Interactive, (sp, key) => new InteractiveRunStore(
            new BlobRunStore(sp.GetRequiredKeyedService<BlobServiceClient>(key).GetBlobContainerClient(Options(sp).RunsContainer)),
            Options(sp).InteractiveTimeout,
            sp.GetRequiredService<TimeProvider>()));
        services.RemoveAll<IPayloadStore>();
        services.AddSingleton<IPayloadStore>(sp => new BlobPayloadStore(Container(sp, Options(sp).PayloadsContainer)));
        services.TryAddSingleton(sp => new QueueEventPublisher(
            sp.GetRequiredService<QueueServiceClient>(), Options(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IRunEventPublisher>(sp => Options(sp).PublishEvents ? sp.GetRequiredService<QueueEventPublisher>() : NoRunEvents.Instance);
        return services;
    }

    /// <summary>
    /// <see cref="AddAzureStoragePipelines(IServiceCollection, Action{StorageOptions}?)"/> with the options read
    /// from configuration (<see cref="StorageOptions.Bind"/>): the same keys on every host.
    /// </summary>
    public static IServiceCollection AddAzureStoragePipelines(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddAzureStoragePipelines(o => o.Bind(configuration));
    }

    /// <summary>
    /// A <see cref="QueueStartListener"/> over the registered clients and options, handing messages to
    /// <paramref name="start"/>; the host runs its <see cref="QueueStartListener.RunAsync"/>.
    /// </summary>
    public static QueueStartListener CreateQueueStartListener(this IServiceProvider services, Func<string, CancellationToken, Task<QueueStartOutcome>> start)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new QueueStartListener(
            services.GetRequiredService<QueueServiceClient>(),
            services.GetRequiredService<BlobServiceClient>(),
            Options(services),
            start,
            services.GetRequiredService<ILogger<QueueStartListener>>(),
            services.GetRequiredService<TimeProvider>());
    }

    private static StorageOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value;

    private static BlobContainerClient Container(IServiceProvider services, string name) =>
        services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(name);

    /// <summary>The publisher when events are off: every event is left unsent, as the option asks.</summary>
    private sealed class NoRunEvents : IRunEventPublisher
    {
        public static readonly NoRunEvents Instance = new();

        public Task PublishStateChangedAsync(StateChange change, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task PublishFinishedAsync(PipelineExecution execution, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, StorageOptions options)
        {
            var problems = options.Validate().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
