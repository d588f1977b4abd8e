using DurablePipelines.FunctionApp.Hosting;
using DurablePipelines.Hosting;
using DurablePipelines.Payloads;
using DurablePipelines.Records;
using DurablePipelines.Tests.Conformance;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.FunctionApp.Tests.Engine;

/// <summary>The Function App's services, composed as Program.cs composes them, over the given settings.</summary>
internal static class EngineServices
{
    /// <summary>With run records and payloads in Azure Storage, as in production (the settings name the account).</summary>
    public static ServiceProvider Create(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddDurablePipelinesFunctionApp(configuration)
            .AddPipelineTask<CountingTask>(CountingTask.Name);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>With run records and payloads in memory: the fast tier, which needs no storage account.</summary>
    public static ServiceProvider CreateInMemory()
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddDurablePipelinesFunctionApp(new ConfigurationBuilder().Build())
            .AddPipelineTask<CountingTask>(CountingTask.Name);
        services.RemoveAll<IRunStore>().AddSingleton<IRunStore, InMemoryRunStore>();
        services.RemoveAllKeyed<IRunStore>(RunStoreKeys.Interactive).AddKeyedSingleton(RunStoreKeys.Interactive, (sp, _) => sp.GetRequiredService<IRunStore>());
        services.RemoveAll<IPayloadStore>().AddSingleton<IPayloadStore, InMemoryPayloadStore>();

        // No storage account, so no pipeline-events queue to publish on.
        services.RemoveAll<IRunEventPublisher>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
