using System.Text.Json.Nodes;
using DurablePipelines.Orchestration;

namespace DurablePipelines.Handlers.BuiltIn;

/// <summary>
/// <c>wait</c>: a result that waits for an event raised on its run and outputs the event's body (see
/// <see cref="WaitForEvent"/>). The orchestration runs it, not an activity: registered so that definitions naming it
/// are validated like any other task's.
/// </summary>
internal sealed class WaitTask : IPipelineTask
{
    public IEnumerable<ConfigError> ValidateConfig(JsonObject? config) => WaitForEvent.ValidateConfig(config);

    public Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"'{WaitForEvent.HandlerName}' runs in the orchestration, which waits for the event itself; no activity executes it");
}
