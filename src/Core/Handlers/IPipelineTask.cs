using System.Text.Json.Nodes;

namespace DurablePipelines.Handlers;

/// <summary>
/// C# code that does the work of a task, registered by name (docs/definition.md, Handlers). One instance may run many
/// task results at once, so implementations keep no per-call state in fields.
/// </summary>
public interface IPipelineTask
{
    /// <summary>
    /// Checks a task's config against the handler's own schema; every problem is reported, each with a path
    /// relative to the config object (empty for the object itself).
    /// </summary>
    IEnumerable<ConfigError> ValidateConfig(JsonObject? config) => [];

    /// <summary>
    /// Runs one attempt of one task result. The token fires on timeout, cancel or the run's ttl; a handler
    /// that ignores it is abandoned and its result recorded as timed out. Runs at least once per result:
    /// use <see cref="TaskContext.IdempotencyKey"/> to make side effects safe to repeat.
    /// </summary>
    Task<JsonNode?> ExecuteAsync(TaskContext context, CancellationToken cancellationToken);
}
