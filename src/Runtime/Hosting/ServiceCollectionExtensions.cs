using DurablePipelines.Activities;
using DurablePipelines.Handlers;
using DurablePipelines.Handlers.BuiltIn;
using DurablePipelines.Payloads;
using DurablePipelines.Runners;
using DurablePipelines.Starts;
using DurablePipelines.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DurablePipelines.Hosting;

/// <summary>Registers the engine: handlers, validation, activities, runners and options.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine with the built-in handlers (<c>echo</c>, <c>fail</c>, <c>sleep</c>, <c>http</c>) and
    /// runners (<c>eager</c>, <c>parallel</c>). Options are validated when the host starts, every problem at once.
    /// </summary>
    public static IServiceCollection AddDurablePipelines(this IServiceCollection services, Action<PipelineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<PipelineOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPayloadStore, InMemoryPayloadStore>();
        services.TryAddSingleton<Records.IRunStore, Records.InMemoryRunStore>();

        // The API's store defaults to the host's own; a storage adapter registers one that gives up fast.
        services.TryAddKeyedSingleton<Records.IRunStore>(Records.RunStoreKeys.Interactive, (sp, _) => sp.GetRequiredService<Records.IRunStore>());
        services.TryAddSingleton(sp => new HandlerRegistry(sp, sp.GetServices<HandlerRegistration>()));
        services.TryAddSingleton<PipelineValidator>();
        services.TryAddSingleton<RunStarter>();
        services.TryAddSingleton<TaskResultExecutor>();
        services.TryAddSingleton<Execution.RunExclusivity>();
        services.TryAddSingleton<IteratorResolver>();
        services.TryAddSingleton<PipelineActivities>();
        services.TryAddSingleton<PipelineRunnerRegistry>();
        services.TryAddSingleton<InProcessRunControl>();
        services.AddHttpClient(HttpTask.ClientName).ConfigurePrimaryHttpMessageHandler(HttpTask.CreateHandler);

        services.AddPipelineTask<EchoTask>(EchoTask.Name);
        services.AddPipelineTask<FailTask>(FailTask.Name);
        services.AddPipelineTask<SleepTask>(SleepTask.Name);
        services.AddPipelineTask<HttpTask>(HttpTask.Name);
        services.AddPipelineTask<WaitTask>(Orchestration.WaitForEvent.HandlerName);
        services.AddTaskRunner<Execution.AsyncTaskRunner>(Definitions.Executions.Async);
        services.AddTaskRunner<Execution.ThreadTaskRunner>(Definitions.Executions.Thread);
        services.AddTaskRunner<Execution.ProcessTaskRunner>(Definitions.Executions.Process);
        services.AddTaskRunner<Execution.MainTaskRunner>(Definitions.Executions.Main);

        services.AddSingleton<IPipelineRunner>(sp => new InProcessRunner(InProcessRunner.Eager, 1, sp.GetRequiredService<PipelineActivities>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<InProcessRunControl>()));
        services.AddSingleton<IPipelineRunner>(sp => new InProcessRunner(
            InProcessRunner.Parallel,
            sp.GetRequiredService<IOptions<PipelineOptions>>().Value.MaxParallelism,
            sp.GetRequiredService<PipelineActivities>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<InProcessRunControl>()));
        return services;
    }

    /// <summary>
    /// Adds the transport-neutral API (<see cref="Api.PipelineApi"/>) and the catalog loaded from
    /// <c>Pipelines:Path</c>. The host registers an <see cref="Api.IRunScheduler"/> and, for durability, an
    /// <see cref="Records.IRunStore"/> other than the in-memory default.
    /// </summary>
    public static IServiceCollection AddPipelineApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => Catalog.PipelineCatalog.LoadFolder(
            sp.GetRequiredService<IOptions<PipelineOptions>>().Value.Path,
            sp.GetRequiredService<PipelineValidator>()));
        services.TryAddSingleton<Api.PipelineApi>();
        return services;
    }

    /// <summary>Registers a handler type under a name (a task handler, an iterator source, or both).</summary>
    public static IServiceCollection AddPipelineTask<THandler>(this IServiceCollection services, string name)
        where THandler : class
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!typeof(IPipelineTask).IsAssignableFrom(typeof(THandler)) && !typeof(IIteratorSource).IsAssignableFrom(typeof(THandler)))
        {
            throw new ArgumentException($"{typeof(THandler).Name} implements neither IPipelineTask nor IIteratorSource", nameof(THandler));
        }

        services.TryAddSingleton<THandler>();
        services.AddSingleton(new HandlerRegistration(name, typeof(THandler)));
        return services;
    }

    /// <summary>
    /// Registers a task runner under a name: tasks that say <c>"using": "&lt;name&gt;"</c> have their results executed
    /// by it (docs/definition.md, Execution).
    /// </summary>
    public static IServiceCollection AddTaskRunner<TRunner>(this IServiceCollection services, string name)
        where TRunner : class, ITaskRunner
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<TRunner>();
        services.AddSingleton(new HandlerRegistration(name, typeof(TRunner)));
        return services;
    }

    /// <summary>Registers a custom runner; <c>Pipelines:Runner</c> chooses it by its <see cref="IPipelineRunner.Name"/>.</summary>
    public static IServiceCollection AddPipelineRunner<TRunner>(this IServiceCollection services)
        where TRunner : class, IPipelineRunner
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IPipelineRunner, TRunner>();
        return services;
    }

    /// <summary>Reports every problem of the options at once.</summary>
    private sealed class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
    {
        public ValidateOptionsResult Validate(string? name, PipelineOptions options)
        {
            var problems = options.Validate().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
