using DurablePipelines.Api;
using DurablePipelines.Catalog;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Records;
using DurablePipelines.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.Tests.Api;

/// <summary>
/// The real <see cref="PipelineApi"/> as the hosts compose it, over a given run store (by default one that writes
/// records as the blob store does) and a <see cref="RecordingScheduler"/>, serving four pipelines: <c>hello</c>
/// (one echo), <c>fan</c> (an echo per item of <c>input.items</c>), <c>keyed</c> (run id from <c>input.id</c>)
/// and <c>multi</c> (multilaunch).
/// </summary>
public sealed class ApiHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public ApiHarness(IRunStore? store = null, Action<PipelineOptions>? configure = null, ILoggerProvider? logs = null)
    {
        Store = store ?? new StoringRunStore();
        var services = new ServiceCollection().AddLogging(b => AddLogs(b, logs)).AddDurablePipelines(configure);
        services.AddSingleton(Store);
        services.AddSingleton<IRunScheduler>(Scheduler);
        services.AddSingleton(sp =>
        {
            var validator = sp.GetRequiredService<PipelineValidator>();
            var catalog = new PipelineCatalog();
            catalog.Add(new PipelineBuilder("hello").Task("say", "echo").Build(), validator);
            catalog.Add(new PipelineBuilder("fan").Task("each", "echo", t => t.ForEach("input.items")).Build(), validator);
            catalog.Add(new PipelineBuilder("keyed").RunIdFrom("k-{input.id}").Task("say", "echo").Build(), validator);
            catalog.Add(new PipelineBuilder("multi").Multilaunch().Task("say", "echo").Build(), validator);
            return catalog;
        });
        services.AddPipelineApi();
        _services = services.BuildServiceProvider();
    }

    public IRunStore Store { get; }

    public RecordingScheduler Scheduler { get; } = new();

    public PipelineApi Api => _services.GetRequiredService<PipelineApi>();

    public void Dispose() => _services.Dispose();

    private static void AddLogs(ILoggingBuilder logging, ILoggerProvider? logs)
    {
        if (logs is not null)
        {
            logging.AddProvider(logs);
        }
    }
}
