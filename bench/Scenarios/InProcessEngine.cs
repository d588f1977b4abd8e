using DurablePipelines.Bench.Harness;
using DurablePipelines.Definitions;
using DurablePipelines.Hosting;
using DurablePipelines.Orchestration;
using DurablePipelines.Records;
using DurablePipelines.Runners;
using DurablePipelines.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace DurablePipelines.Bench.Scenarios;

/// <summary>The engine as an application would host it in process: <c>AddDurablePipelines</c> plus the no-op handler.</summary>
internal sealed class InProcessEngine : IDisposable
{
    private readonly ServiceProvider _services = Create();

    private int _runs;

    public PipelineValidator Validator => _services.GetRequiredService<PipelineValidator>();

    /// <summary>Runs a valid definition to its end on the named runner and checks that it succeeded.</summary>
    public async Task<PipelineExecution> RunAsync(string runner, PipelineDefinition definition, IPipelineReporter? reporter = null, System.Text.Json.Nodes.JsonNode? input = null)
    {
        var run = new RunPipelineInput
        {
            RunId = $"bench-{Interlocked.Increment(ref _runs)}",
            Definition = definition,
            Input = input,
            CreatedAt = DateTime.UtcNow,
            Settings = new OrchestrationSettings(),
        };
        var execution = await _services.GetRequiredService<PipelineRunnerRegistry>().Get(runner).RunAsync(run, reporter ?? NullReporter.Instance, CancellationToken.None);
        if (execution.Status != RunStatus.Succeeded)
        {
            throw new InvalidOperationException($"run of '{definition.Name}' on '{runner}' ended {execution.Status}: {execution.Error?.Message}");
        }

        return execution;
    }

    /// <summary>Throws unless the definition is valid.</summary>
    public void EnsureValid(PipelineDefinition definition)
    {
        var errors = Validator.Validate(definition);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"generated pipeline '{definition.Name}' is invalid: {errors[0].Path}: {errors[0].Message}");
        }
    }

    public void Dispose() => _services.Dispose();

    /// <summary>The container; a task process of the <c>process</c> execution (this program again) builds the same.</summary>
    public static ServiceProvider Create() => new ServiceCollection()
        .AddLogging()
        .AddDurablePipelines()
        .AddPipelineTask<NoOpTask>(NoOpTask.Name)
        .BuildServiceProvider();
}
