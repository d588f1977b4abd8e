using DurablePipelines.Durable.Hosting;
using DurablePipelines.Examples.Hosting;
using DurablePipelines.Hosting;
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
    /// <summary>Builds the container over <paramref name="configuration"/>.</summary>
    public static ServiceProvider Create(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new ServiceCollection()
            .AddSingleton(configuration)
            .AddLogging(logging => logging
                .AddConfiguration(configuration.GetSection("Logging"))
                .AddSimpleConsole(o => o.SingleLine = true)

                // Standard output belongs to the command's result (graph text, JSON records).
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace))
            .AddDurablePipelines(options => configuration.GetSection(PipelineOptions.Section).Bind(options))
            .AddExamplePipelineTasks()
            .AddDurableRunner(() => new InMemoryTaskHubBackend(ReadOptions(configuration).Options.MaxParallelism))
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

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
