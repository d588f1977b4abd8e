using Azure.Core.Serialization;
using DurablePipelines.Catalog;
using DurablePipelines.Durable.Activities;
using DurablePipelines.Examples.Hosting;
using DurablePipelines.FunctionApp.Http;
using DurablePipelines.Hosting;
using DurablePipelines.Records;
using DurablePipelines.Storage.Hosting;
using DurablePipelines.Validation;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurablePipelines.FunctionApp.Hosting;

/// <summary>
/// The Function App's services: the engine, the storage adapters, the wire format, the catalog, the API factory
/// and the handlers of the example pipelines the catalog ships with.
/// </summary>
internal static class FunctionAppServiceCollectionExtensions
{
    /// <summary>
    /// Everything the functions need, read from <paramref name="configuration"/>: the <c>Pipelines</c> section for
    /// the engine, <c>AzureWebJobsStorage</c> and <c>Pipelines:Storage</c> for run records, run logs and large
    /// payloads in blob storage.
    /// </summary>
    public static IServiceCollection AddDurablePipelinesFunctionApp(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddDurablePipelines(options => configuration.GetSection(PipelineOptions.Section).Bind(options));
        services.AddAzureStoragePipelines(configuration);

        // One JSON shape everywhere: Durable serializes orchestration inputs, outputs, activity payloads and custom
        // status with the worker's serializer, so records keep their camelCase names and string enums in history
        // and in the portal, exactly as the HTTP API and the run store write them.
        services.Configure<WorkerOptions>(options => options.Serializer = new JsonObjectSerializer(PipelineJson.Options));

        services.TryAddSingleton<RunStoreActivities>();
        services.TryAddSingleton<PipelineCatalog>(LoadCatalog);
        services.AddScoped<PipelineApiFactory>();

        // The examples in pipelines/ (copied next to the app) need their handlers, or the catalog would skip them.
        // Relative paths of the files.* handlers resolve against the app's folder, like Pipelines:Path.
        services.AddExamplePipelineTasks(options => options.BaseFolder = AppContext.BaseDirectory);
        return services;
    }

    private static PipelineCatalog LoadCatalog(IServiceProvider services)
    {
        var path = services.GetRequiredService<IOptions<PipelineOptions>>().Value.Path;

        // Relative to the app's folder, where the build copies pipelines/, not to the host's working directory.
        var folder = Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path);
        var catalog = PipelineCatalog.LoadFolder(folder, services.GetRequiredService<PipelineValidator>());
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<PipelineCatalog>();
        foreach (var problem in catalog.Problems)
        {
            Log.CatalogFileSkipped(logger, problem.File, string.Join("; ", problem.Errors));
        }

        Log.CatalogLoaded(logger, catalog.Pipelines.Count, folder);
        return catalog;
    }
}
