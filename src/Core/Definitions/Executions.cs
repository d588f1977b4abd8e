namespace DurablePipelines.Definitions;

/// <summary>
/// The values of a task's or a pipeline's <c>execution</c> (docs/definition.md, Execution): the built-in task runners.
/// </summary>
public static class Executions
{
    /// <summary>The handler runs as an async call in the host process (the default): stops if it honours its token.</summary>
    public const string Async = "async";

    /// <summary>The handler runs on a dedicated thread: a blocking handler never starves the thread pool.</summary>
    public const string Thread = "thread";

    /// <summary>The handler runs in a child process of the host, killed on timeout, cancel or ttl.</summary>
    public const string Process = "process";

    /// <summary>No other task result of the run executes while the handler runs; it is never abandoned.</summary>
    public const string Main = "main";

    /// <summary>Every execution, in the order the docs list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Async, Thread, Process, Main];
}
