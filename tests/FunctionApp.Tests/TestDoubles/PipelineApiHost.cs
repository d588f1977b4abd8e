using DurablePipelines.Catalog;
using DurablePipelines.Definitions;
using DurablePipelines.FunctionApp.Http;
using DurablePipelines.Hosting;
using DurablePipelines.Records;
using DurablePipelines.Validation;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace DurablePipelines.FunctionApp.Tests.TestDoubles;

/// <summary>
/// The real engine and <c>PipelineApi</c> over an in-memory run store and a one-pipeline catalog, with a mocked
/// <see cref="DurableTaskClient"/> that records the orchestrations it is asked to start.
/// </summary>
internal sealed class PipelineApiHost : IDisposable
{
    public const string Pipeline = "orders";

    private readonly ServiceProvider _root;
    private readonly IServiceScope _scope;

    /// <param name="interactiveStore">The store HTTP calls answer from, as a storage adapter registers it; by default the in-memory one.</param>
    public PipelineApiHost(IRunStore? interactiveStore = null)
    {
        var services = new ServiceCollection().AddLogging().AddDurablePipelines();
        services.AddSingleton<IRunStore, InMemoryRunStore>();
        if (interactiveStore is not null)
        {
            services.AddKeyedSingleton(RunStoreKeys.Interactive, interactiveStore);
        }

        services.AddSingleton(sp =>
        {
            var catalog = new PipelineCatalog();
            catalog.Add(new PipelineBuilder(Pipeline).Task("price", "echo").Build(), sp.GetRequiredService<PipelineValidator>());
            return catalog;
        });
        services.AddScoped<PipelineApiFactory>();
        _root = services.BuildServiceProvider();
        _scope = _root.CreateScope();
        Client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Returns((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) => Task.FromResult(options?.InstanceId ?? "generated"));
    }

    public Mock<DurableTaskClient> Client { get; } = new("test");

    /// <summary>The host's run store (in memory).</summary>
    public IRunStore Store => _root.GetRequiredService<IRunStore>();

    public PipelineApiFactory Apis => _scope.ServiceProvider.GetRequiredService<PipelineApiFactory>();

    /// <summary>Instance ids of the orchestrations started so far.</summary>
    public IReadOnlyList<string?> Scheduled => [.. Client.Invocations
        .Where(i => i.Method.Name == nameof(DurableTaskClient.ScheduleNewOrchestrationInstanceAsync))
        .Select(i => (i.Arguments[2] as StartOrchestrationOptions)?.InstanceId)];

    public void Dispose()
    {
        _scope.Dispose();
        _root.Dispose();
    }
}
