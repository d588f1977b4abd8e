using System.Text.Json.Nodes;

namespace DurablePipelines.Handlers.BuiltIn;

/// <summary><c>echo</c>: returns its whole task input <c>{ input, item, taskItem, parents, config }</c>.</summary>
internal sealed class EchoTask : IPipelineTask
{
    public const string Name = "echo";

    public Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) =>
        Task.FromResult<JsonNode?>(context.ToTaskInput());
}
