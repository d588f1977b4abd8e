using System.Text.Json.Nodes;

namespace DurablePipelines.Definitions;

/// <summary>Sets the options of one task of a <see cref="PipelineBuilder"/>.</summary>
public sealed class TaskBuilder
{
    internal TaskBuilder(TaskDefinition definition) => Definition = definition;

    internal TaskDefinition Definition { get; private set; }

    /// <summary>The task starts after all of these have succeeded.</summary>
    public TaskBuilder After(params string[] parents)
    {
        Definition = Definition with { Parents = [.. Definition.Parents ?? [], .. parents] };
        return this;
    }

    /// <summary>Runs once per item found at <paramref name="path"/>.</summary>
    public TaskBuilder ForEach(string path)
    {
        Definition = Definition with { Iterator = IteratorDefinition.FromPath(path) };
        return this;
    }

    /// <summary>Runs once per item listed by an iterator source.</summary>
    public TaskBuilder ForEachFrom(string handler, JsonObject? config = null)
    {
        Definition = Definition with { Iterator = IteratorDefinition.FromHandler(handler, config) };
        return this;
    }

    /// <summary>The handler's config.</summary>
    public TaskBuilder Config(JsonObject config)
    {
        Definition = Definition with { Config = config };
        return this;
    }

    /// <summary>At most this many results in flight.</summary>
    public TaskBuilder MaxConcurrency(int maxConcurrency)
    {
        Definition = Definition with { MaxConcurrency = maxConcurrency };
        return this;
    }

    /// <summary>Lets up to <paramref name="count"/> and/or <paramref name="percentage"/> percent of the task's results fail.</summary>
    public TaskBuilder TolerateFailures(int? count = null, double? percentage = null)
    {
        Definition = Definition with { ToleratedFailures = new ToleratedFailures { Count = count, Percentage = percentage } };
        return this;
    }

    /// <summary>Retries each task result: <paramref name="attempts"/> in all, with the waits between them.</summary>
    public TaskBuilder Retry(int attempts, TimeSpan delay = default, double backoff = 1.0, TimeSpan? maxDelay = null)
    {
        Definition = Definition with { Retry = new RetryPolicy { Attempts = attempts, Delay = delay, Backoff = backoff, MaxDelay = maxDelay } };
        return this;
    }

    /// <summary>A result whose last attempt failed waits for an operator, at most <paramref name="timeout"/> when given.</summary>
    public TaskBuilder Repair(TimeSpan? timeout = null)
    {
        Definition = Definition with { Repair = new RepairPolicy { Timeout = timeout } };
        return this;
    }

    /// <summary>How the task's results execute (<see cref="Executions"/>).</summary>
    public TaskBuilder Execution(string execution)
    {
        Definition = Definition with { Execution = execution };
        return this;
    }

    /// <summary>The registered task runner that executes the task's results.</summary>
    public TaskBuilder Using(string runner)
    {
        Definition = Definition with { Using = runner };
        return this;
    }

    /// <summary>Time allowed to one attempt.</summary>
    public TaskBuilder Timeout(TimeSpan timeout)
    {
        Definition = Definition with { Timeout = timeout };
        return this;
    }

    /// <summary>Metadata carried into the records.</summary>
    public TaskBuilder Metadata(JsonObject metadata)
    {
        Definition = Definition with { Metadata = metadata };
        return this;
    }
}
