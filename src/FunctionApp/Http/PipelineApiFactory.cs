using DurablePipelines.Api;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.FunctionApp.Http;

/// <summary>
/// Makes the transport-neutral <see cref="PipelineApi"/> for one function invocation: its services come from
/// dependency injection, its <see cref="IRunScheduler"/> is a <see cref="DurableRunScheduler"/> over the
/// invocation's <c>[DurableClient]</c>. Public only because the function classes, which the worker requires to be
/// public, take it in their constructors.
/// </summary>
public sealed class PipelineApiFactory(IServiceProvider services)
{
    /// <summary>A <see cref="PipelineApi"/> that schedules and cancels runs through <paramref name="client"/>.</summary>
    public PipelineApi Create(DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var scheduler = new DurableRunScheduler(client, services.GetRequiredService<ILoggerFactory>().CreateLogger<DurableRunScheduler>());

        // Every constructor parameter but the scheduler is resolved from the container, whatever their list is.
        return ActivatorUtilities.CreateInstance<PipelineApi>(services, scheduler);
    }
}
