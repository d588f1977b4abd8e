using System.Text.Json.Nodes;
using DurablePipelines.Handlers;

namespace DurablePipelines.Bench.Harness;

/// <summary>The benchmarks' handler: does nothing and returns no output, so what is measured is the engine.</summary>
internal sealed class NoOpTask : IPipelineTask
{
    public const string Name = "noop";

    private static readonly Task<JsonNode?> s_nothing = Task.FromResult<JsonNode?>(null);

    public Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) => s_nothing;
}
