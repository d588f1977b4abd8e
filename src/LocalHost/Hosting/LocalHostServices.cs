using DurablePipelines.Durable.Hosting;
using DurablePipelines.Examples.Hosting;
using DurablePipelines.Hosting;
using DurablePipelines.Storage.Durable;
using DurablePipelines.Storage.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.LocalHost.Hosting;

/// <summary>
/// The local host's container: the engine bound to configuration, logs on standard error, the example pipelines'
/// handlers, and the <c>durable</c> runner on the Durable Task engine's in-memory backend.
/// </summary>
internal static class LocalHostServices
{
    /// <summary>
    /// True: the <c>durable</c> runner runs on the engine's Azure Storage backend over <c>AzureWebJobsStorage</c>
    /// (<c>dp run --storage</c>), with records in its blobs; otherwise on the in-memory backend.
    /// </summary>
    public const string DurableOnStorageSetting = "Pipelines:DurableOnStorage";

    /// <summary>The engine's task hub on storage (<c>dp serve</c>, <c>dp run --storage</c>); host.json's by default.</summary>
    public const string TaskHubSetting = "Pipelines:TaskHub";

    /// <summary>
    /// Builds the container over <paramref name="configuration"/>; <paramref name="configureServices"/> adds to it last
    /// (handlers of an embedding host, as <c>ServeHost.Build</c> allows).
    /// </summary>
    public static ServiceProvider Create(IConfiguration configuration, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var services = new ServiceCollection()
            .AddSingleton(configuration)
            .AddLogging(logging => logging
                .AddConfiguration(configuration.GetSection("Logging"))
                .AddSimpleConsole(o => o.SingleLine = true)

                // Standard output belongs to the command's result (graph text, JSON records).
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace))
            .AddDurablePipelines(options => configuration.GetSection(PipelineOptions.Section).Bind(options))
            .AddExamplePipelineTasks();
        var concurrency = ReadOptions(configuration).Options.MaxParallelism;
        if (configuration.GetValue<bool>(DurableOnStorageSetting))
        {
            // Records, logs and payloads in the account's blobs, the engine's history in its tables and queues.
            services.AddAzureStoragePipelines(configuration)
                .AddDurableRunner(sp => AzureStorageTaskHub.CreateForWorker(new StorageOptions().Bind(configuration), TaskHubName(configuration), concurrency, ReadOptions(configuration).Options.MaxActiveRuns, sp.GetRequiredService<ILoggerFactory>()));
        }
        else
        {
            services.AddDurableRunner(_ => new InMemoryTaskHubBackend(concurrency));
        }

        configureServices?.Invoke(services);

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>The task hub of <see cref="TaskHubSetting"/>, or host.json's.</summary>
    public static string TaskHubName(IConfiguration configuration) =>
        configuration?[TaskHubSetting] is { Length: > 0 } hub ? hub : AzureStorageTaskHub.DefaultHubName;

    /// <summary>The <c>Pipelines</c> options as configured, and every problem with them.</summary>
    public static (PipelineOptions Options, IReadOnlyList<string> Problems) ReadOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new PipelineOptions();
        try
        {
            configuration.GetSection(PipelineOptions.Section).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            return (options, [ex.Message]);
        }

        return (options, [.. options.Validate()]);
    }

    /// <summary>The storage options as configured (<see cref="StorageOptions.Bind"/>), and every problem with them.</summary>
    public static (StorageOptions Options, IReadOnlyList<string> Problems) ReadStorageOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new StorageOptions();
        try
        {
            options.Bind(configuration);
        }
        catch (Exception ex) when (ex is InvalidOperationException or UriFormatException)
        {
            return (options, [ex.Message]);
        }

        return (options, [.. options.Validate()]);
    }
}
