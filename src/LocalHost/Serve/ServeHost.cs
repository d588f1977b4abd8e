using System.Diagnostics;
using DurablePipelines.Api;
using DurablePipelines.Durable.Hosting;
using DurablePipelines.Examples.Hosting;
using DurablePipelines.Hosting;
using DurablePipelines.LocalHost.Hosting;
using DurablePipelines.Storage.Durable;
using DurablePipelines.Storage.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.LocalHost.Serve;

/// <summary>
/// <c>dp serve</c>: the HTTP and queue interface of docs/api.md on Kestrel, runs executed by the Durable Task engine
/// on its Azure Storage backend (the task hub <c>Pipelines:TaskHub</c>, as Durable Functions runs them on Azure) with
/// records, run logs and payloads in the same account (Azurite locally), the queue listener, and the dashboard at <c>/</c>.
/// Several hosts may share one account: the engine's partition leases share the runs out, and any host answers for any run.
/// </summary>
internal static class ServeHost
{
    /// <summary>Where the host listens unless <c>Pipelines:Urls</c> says otherwise: loopback, the Functions port.</summary>
    public const string DefaultUrls = "http://127.0.0.1:7071";

    /// <summary>
    /// Builds the web application over the configuration (storage from <c>AzureWebJobsStorage</c>);
    /// <paramref name="configureServices"/> adds to the container last (handlers of an embedding host, such as the benchmarks).
    /// </summary>
    public static WebApplication Build(IConfiguration configuration, Action<IServiceCollection>? configureServices = null)
    {
        var options = LocalHostServices.ReadOptions(configuration).Options;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls(configuration["Pipelines:Urls"] is { Length: > 0 } urls ? urls : DefaultUrls);

        // One byte over the API's own limit reaches PipelineApi, which answers 413 itself; larger bodies are
        // stopped by Kestrel and answered 413 by the problem middleware.
        // Kestrel's own rejections (a request line or headers it cannot read) get a problem body too.
        var rejections = new RejectedRequestAnswers();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxRequestBytes + 1L;
            k.ConfigureEndpointDefaults(listen => listen.Use(rejections.Wrap));
        });
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));

        var services = builder.Services;
        services.AddDurablePipelines(o => configuration.GetSection(PipelineOptions.Section).Bind(o))
            .AddExamplePipelineTasks()
            .AddAzureStoragePipelines(configuration)
            .AddPipelineApi();
        var storage = new StorageOptions().Bind(configuration);
        var hubName = LocalHostServices.TaskHubName(configuration);
        services.AddDurableRunner(sp => AzureStorageTaskHub.CreateForWorker(storage, hubName, options.MaxParallelism, options.MaxActiveRuns, sp.GetRequiredService<ILoggerFactory>()))
            .AddDurableRunScheduler();
        services.AddHostedService<EngineService>();
        services.AddHostedService<QueueListenerService>();
        configureServices?.Invoke(services);

        var app = builder.Build();
        var subscription = rejections.Subscribe(app.Services.GetRequiredService<DiagnosticListener>());
        app.Lifetime.ApplicationStopped.Register(subscription.Dispose);
        app.UseProblemAnswers(options.MaxRequestBytes);
        app.UseApiKey();
        app.MapPipelineApi();
        return app;
    }

    /// <summary>
    /// Starts the engine's worker with the host (runs the engine holds resume by themselves, on whichever host holds
    /// their partition), schedules runs admitted but never started, and stops the worker with the host: work in
    /// flight goes back to the task hub.
    /// </summary>
    private sealed class EngineService(TaskHubHost hub, TaskHubRunScheduler scheduler, ILogger<EngineService> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await hub.GetAsync();
            var scheduled = await scheduler.ScheduleAdmittedAsync(cancellationToken);
            Log.Resumed(logger, scheduled);
        }

        public async Task StopAsync(CancellationToken cancellationToken) => await hub.DisposeAsync();
    }

    /// <summary>Runs the <c>pipeline-starts</c> listener for the host's lifetime.</summary>
    private sealed class QueueListenerService(IServiceProvider services, PipelineApi api) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            services.CreateQueueStartListener(api.StartFromQueueAsync).RunAsync(stoppingToken);
    }
}
