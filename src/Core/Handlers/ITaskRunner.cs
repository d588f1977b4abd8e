using System.Text.Json.Nodes;

namespace DurablePipelines.Handlers;

/// <summary>
/// Runs the attempts of task results: how a handler executes (docs/definition.md, Execution). The built-in runners are
/// the executions <c>async</c>, <c>thread</c>, <c>process</c> and <c>main</c>; an application registers its own by
/// name (<c>AddTaskRunner</c>) and a task names it with <c>using</c>. One instance runs many attempts at once.
/// </summary>
public interface ITaskRunner
{
    /// <summary>
    /// Runs one attempt of <paramref name="run"/>'s handler and returns its output. The token fires on the attempt's
    /// timeout, the run's ttl or a cancel: a runner that can stop the handler then (a process it kills) ends with
    /// <see cref="OperationCanceledException"/>; one that cannot is abandoned after a short grace, its result recorded
    /// as timed out. A failure is an exception, recorded with its type and message.
    /// </summary>
    Task<JsonNode?> RunAsync(TaskRun run, CancellationToken cancellationToken);

    /// <summary>
    /// True when the attempt ends promptly once its token fires because the runner stops the handler itself (a process
    /// it kills): the attempt is then awaited to its end, never abandoned, so what it ran is gone when it is recorded.
    /// </summary>
    bool StopsHandlers => false;
}

/// <summary>One attempt for a <see cref="ITaskRunner"/>.</summary>
/// <param name="Handler">The handler's registered name (a runner in another process resolves it there).</param>
/// <param name="Task">The handler, resolved in this process.</param>
/// <param name="Context">What the handler is given.</param>
public sealed record TaskRun(string Handler, IPipelineTask Task, TaskContext Context);
