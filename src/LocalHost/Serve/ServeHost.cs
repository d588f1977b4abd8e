using System.Diagnostics;
using DurablePipelines.Api;
using DurablePipelines.Examples.Hosting;
using DurablePipelines.Hosting;
using DurablePipelines.LocalDurable;
using DurablePipelines.LocalHost.Hosting;
using DurablePipelines.Storage.Checkpoints;
using DurablePipelines.Storage.Hosting;
using DurablePipelines.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.LocalHost.Serve;

/// <summary>
/// <c>dp serve</c>: the HTTP and queue interface of docs/api.md on Kestrel, runs executed durably by the
/// <see cref="LocalRunScheduler"/> with records, checkpoints and payloads in Azure Storage (Azurite locally),
/// the queue listener, and the dashboard at <c>/</c>.
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
        services.AddSingleton<ICheckpointStore>(sp => sp.GetRequiredService<BlobCheckpointStore>());
        services.AddSingleton<IRunEventPublisher>(sp => sp.GetRequiredService<QueueEventPublisher>());
        services.AddSingleton<LocalRunScheduler>();
        services.AddSingleton<IRunScheduler>(sp => sp.GetRequiredService<LocalRunScheduler>());
        services.AddHostedService<ResumeService>();
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

    /// <summary>Resumes unfinished runs at start; at stop leaves running ones to resume next time.</summary>
    private sealed class ResumeService(LocalRunScheduler scheduler, ILogger<ResumeService> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var resumed = await scheduler.ResumeAsync(cancellationToken);
            Log.Resumed(logger, resumed);
        }

        public async Task StopAsync(CancellationToken cancellationToken) => await scheduler.DisposeAsync();
    }

    /// <summary>Runs the <c>pipeline-starts</c> listener for the host's lifetime.</summary>
    private sealed class QueueListenerService(IServiceProvider services, PipelineApi api) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            services.CreateQueueStartListener(api.StartFromQueueAsync).RunAsync(stoppingToken);
    }
}
