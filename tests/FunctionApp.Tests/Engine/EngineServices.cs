using System.Reflection;
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
            .AddPipelineTask<CountingTask>(CountingTask.Name)
            .Configure<PipelineOptions>(AsTheAppStartsTaskProcesses);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>The app's worker assembly from its build output, as the Functions worker would start itself.</summary>
    public static string WorkerAssembly { get; } = Path.Combine(
        typeof(EngineServices).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionAppOutput").Value!,
        "DurablePipelines.FunctionApp.dll");

    /// <summary>
    /// The 'process' execution starts the app's worker assembly (in the Functions worker, "dotnet" runs it and the
    /// default finds it; here the test host runs the activities, so it is named).
    /// </summary>
    private static void AsTheAppStartsTaskProcesses(PipelineOptions options)
    {
        options.TaskProcess.Command = "dotnet";
        options.TaskProcess.Arguments.Add(WorkerAssembly);
    }

    /// <summary>With run records and payloads in memory: the fast tier, which needs no storage account.</summary>
    public static ServiceProvider CreateInMemory()
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddDurablePipelinesFunctionApp(new ConfigurationBuilder().Build())
            .AddPipelineTask<CountingTask>(CountingTask.Name)
            .Configure<PipelineOptions>(AsTheAppStartsTaskProcesses);
        services.RemoveAll<IRunStore>().AddSingleton<IRunStore, InMemoryRunStore>();
        services.RemoveAllKeyed<IRunStore>(RunStoreKeys.Interactive).AddKeyedSingleton(RunStoreKeys.Interactive, (sp, _) => sp.GetRequiredService<IRunStore>());
        services.RemoveAll<IPayloadStore>().AddSingleton<IPayloadStore, InMemoryPayloadStore>();

        // No storage account, so no pipeline-events queue to publish on.
        services.RemoveAll<IRunEventPublisher>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
