using DurablePipelines.Durable.Activities;
using DurablePipelines.Durable.Runners;
using DurablePipelines.Runners;
using DurableTask.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DurablePipelines.Durable.Hosting;

/// <summary>Registers what a host on the Durable Task engine needs besides the engine's own services.</summary>
public static class DurableServiceCollectionExtensions
{
    /// <summary>The store activities' bodies (<see cref="RunStoreActivities"/>), which every durable host registers.</summary>
    public static IServiceCollection AddDurableActivities(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<RunStoreActivities>();
        return services;
    }

    /// <summary>
    /// The host's task hub (<see cref="TaskHubHost"/>) over the backend <paramref name="createBackend"/> makes, and the
    /// <c>durable</c> runner on it (<see cref="DurableRunner"/>).
    /// </summary>
    public static IServiceCollection AddDurableRunner(this IServiceCollection services, Func<IServiceProvider, IOrchestrationService> createBackend)
    {
        ArgumentNullException.ThrowIfNull(createBackend);
        services.AddDurableActivities();
        services.TryAddSingleton(sp => new TaskHubHost(sp, createBackend));
        services.AddSingleton<IPipelineRunner, DurableRunner>();
        return services;
    }

    /// <summary>The API's scheduler on the host's task hub (<see cref="TaskHubRunScheduler"/>); after <see cref="AddDurableRunner"/>.</summary>
    public static IServiceCollection AddDurableRunScheduler(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<TaskHubRunScheduler>();
        services.TryAddSingleton<Api.IRunScheduler>(sp => sp.GetRequiredService<TaskHubRunScheduler>());
        return services;
    }
}
