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
using Microsoft.Extensions.Options;

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
        services.AddHostedService<HistoryPurgeService>();
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

    /// <summary>
    /// Keeps the task hub from filling: at the host's start and then every <see cref="Interval"/> of the retention, purges the history
    /// of orchestrations that ended and were created more than <c>Pipelines:HistoryRetention</c> ago. On Azurite every
    /// table query reads the whole table, so a hub that only grows slows every create and status read. Every host on
    /// an account sweeps; a sweep that fails (storage away, or another host deleting the same history at that moment)
    /// is logged, and the next one finishes the work.
    /// </summary>
    private sealed class HistoryPurgeService(TaskHubHost host, IOptions<PipelineOptions> options, TimeProvider time, ILogger<HistoryPurgeService> logger) : BackgroundService
    {
        /// <summary>The longest time between two sweeps.</summary>
        private static readonly TimeSpan s_maxInterval = TimeSpan.FromMinutes(10);

        // One sweep's deletions stop starting after this; the next sweep goes on with the rest.
        private static readonly TimeSpan s_sweepLimit = TimeSpan.FromMinutes(1);

        /// <summary>Between sweeps: the retention, within 1 s and <see cref="s_maxInterval"/>.</summary>
        private static TimeSpan Interval(TimeSpan retention) => TimeSpan.FromTicks(Math.Clamp(retention.Ticks, TimeSpan.TicksPerSecond, s_maxInterval.Ticks));

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var retention = options.Value.HistoryRetention;
            var interval = Interval(retention);
            try
            {
                var hub = await host.GetAsync().WaitAsync(stoppingToken);
                while (true)
                {
                    var createdBefore = time.GetUtcNow().UtcDateTime - retention;
                    try
                    {
                        var purged = await hub.PurgeEndedAsync(createdBefore, s_sweepLimit).WaitAsync(stoppingToken);
                        if (purged > 0)
                        {
                            Log.HistoryPurged(logger, purged, createdBefore);
                        }
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException && !stoppingToken.IsCancellationRequested)
                    {
                        // A storage client's own timeout is an OperationCanceledException too: only the host's stop
                        // ends the sweeps, so that no failure of one stops dp serve.
                        Log.HistoryNotPurged(logger, interval, ex);
                    }

                    await Task.Delay(interval, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // The host is stopping; what is left is purged by the next host's sweeps.
            }
        }
    }

    /// <summary>Runs the <c>pipeline-starts</c> listener for the host's lifetime.</summary>
    private sealed class QueueListenerService(IServiceProvider services, PipelineApi api) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            services.CreateQueueStartListener(api.StartFromQueueAsync).RunAsync(stoppingToken);
    }
}
