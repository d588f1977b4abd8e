using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Tests.Hosting;

public sealed class PipelineRunnerRegistryTests
{
    /// <summary>A custom runner, as a user would register one: it receives the execution and the reporter.</summary>
    private sealed class RecordingRunner : IPipelineRunner
    {
        public string Name => "recording";

        public List<string> Runs { get; } = [];

        public Task<PipelineExecution> RunAsync(RunPipelineInput run, IPipelineReporter reporter, CancellationToken cancellationToken)
        {
            Runs.Add(run.RunId);
            var execution = new PipelineExecution { RunId = run.RunId, Pipeline = run.Definition.Name, Runner = Name, Status = RunStatus.Succeeded };
            reporter.Finished(execution);
            return Task.FromResult(execution);
        }
    }

    [Fact]
    public async Task Get_CustomRunnerRegisteredByName_IsChosenByItsName()
    {
        var services = new ServiceCollection().AddLogging().AddDurablePipelines().AddPipelineRunner<RecordingRunner>();
        using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<PipelineRunnerRegistry>();

        var runner = registry.Get("recording");
        var execution = await runner.RunAsync(
            new RunPipelineInput { RunId = "r1", Definition = new DurablePipelines.Definitions.PipelineBuilder("p").Task("a", "echo").Build() },
            NullReporter.Instance,
            CancellationToken.None);

        Assert.Equal(["eager", "parallel", "recording"], registry.Names);
        Assert.Equal("recording", execution.Runner);
        Assert.Equal(["r1"], ((RecordingRunner)runner).Runs);
    }

    [Fact]
    public void Get_UnknownRunner_NamesTheKnownOnes()
    {
        using var provider = new ServiceCollection().AddLogging().AddDurablePipelines().BuildServiceProvider();

        var ex = Assert.Throws<KeyNotFoundException>(() => provider.GetRequiredService<PipelineRunnerRegistry>().Get("turbo"));

        Assert.Equal("unknown runner 'turbo' (known: eager, parallel)", ex.Message);
    }

    [Fact]
    public void AddDurablePipelines_InvalidOptions_FailsOnStartWithEveryProblem()
    {
        using var provider = new ServiceCollection().AddLogging()
            .AddDurablePipelines(o => { o.MaxParallelism = 0; o.ChunkSize = 0; })
            .BuildServiceProvider();

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<PipelineOptions>>().Value);

        Assert.Equal(["Pipelines:MaxParallelism must be at least 1", "Pipelines:ChunkSize must be at least 1"], ex.Failures);
    }
}
