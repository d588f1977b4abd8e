using System.Text.Json.Nodes;
using DurablePipelines.Handlers;

namespace DurablePipelines.Execution;

/// <summary>
/// <c>async</c>: the handler runs as an async call in the host process, on the thread pool. It stops when it honours
/// its token; one that ignores it is abandoned after a short grace, and keeps running.
/// </summary>
internal sealed class AsyncTaskRunner : ITaskRunner
{
    public Task<JsonNode?> RunAsync(TaskRun run, CancellationToken cancellationToken) => run.Task.ExecuteAsync(run.Context, cancellationToken);
}
