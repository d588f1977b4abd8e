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

    /// <summary>The <c>durable</c> runner (<see cref="DurableRunner"/>) over the backend <paramref name="createBackend"/> makes.</summary>
    public static IServiceCollection AddDurableRunner(this IServiceCollection services, Func<IOrchestrationService> createBackend)
    {
        ArgumentNullException.ThrowIfNull(createBackend);
        services.AddDurableActivities();
        services.AddSingleton<IPipelineRunner>(sp => new DurableRunner(sp, createBackend));
        return services;
    }
}
