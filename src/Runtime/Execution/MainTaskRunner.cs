using System.Text.Json.Nodes;
using DurablePipelines.Handlers;

namespace DurablePipelines.Execution;

/// <summary>
/// <c>main</c>: the attempt runs alone, no other task result of its run executing meanwhile in this host (the executor
/// holds <see cref="RunExclusivity"/> for it), as an async call, and is never abandoned: its token still fires on
/// timeout, cancel or ttl, but the result is recorded when the handler returns.
/// </summary>
internal sealed class MainTaskRunner : ITaskRunner
{
    public Task<JsonNode?> RunAsync(TaskRun run, CancellationToken cancellationToken) => run.Task.ExecuteAsync(run.Context, cancellationToken);
}
