using System.Text.Json.Nodes;

namespace DurablePipelines.Definitions;

/// <summary>
/// Code-first pipelines that compile to the same <see cref="PipelineDefinition"/> as JSON:
/// <code>
/// var definition = new PipelineBuilder("orders-nightly")
///     .Task("extract", "http", t => t.Config(new() { ["url"] = "https://example.test/orders" }))
///     .Task("price", "price", t => t.After("extract").ForEach("parents.extract.output.orders").MaxConcurrency(50))
///     .Build();
/// </code>
/// </summary>
public sealed class PipelineBuilder(string name)
{
    private readonly List<TaskDefinition> _tasks = [];
    private PipelineDefinition _pipeline = new() { Name = name, Tasks = [] };

    /// <summary>Sets the version.</summary>
    public PipelineBuilder Version(string version) => With(_pipeline with { Version = version });

    /// <summary>Sets the description.</summary>
    public PipelineBuilder Description(string description) => With(_pipeline with { Description = description });

    /// <summary>Runs the whole pipeline once per item found at <paramref name="path"/>.</summary>
    public PipelineBuilder ForEach(string path) => With(_pipeline with { Iterator = IteratorDefinition.FromPath(path) });

    /// <summary>Runs the whole pipeline once per item listed by an iterator source.</summary>
    public PipelineBuilder ForEachFrom(string handler, JsonObject? config = null) => With(_pipeline with { Iterator = IteratorDefinition.FromHandler(handler, config) });

    /// <summary>Cancels everything not started when a task fails.</summary>
    public PipelineBuilder FailFast(bool failFast = true) => With(_pipeline with { FailFast = failFast });

    /// <summary>Allows starting a run while one with the same id is active.</summary>
    public PipelineBuilder Multilaunch(bool multilaunch = true) => With(_pipeline with { Multilaunch = multilaunch });

    /// <summary>Derives run ids from the input.</summary>
    public PipelineBuilder RunIdFrom(string template) => With(_pipeline with { RunIdFrom = template });

    /// <summary>Cancels runs not finished in time.</summary>
    public PipelineBuilder Ttl(TimeSpan ttl) => With(_pipeline with { Ttl = ttl });

    /// <summary>Metadata carried into the records.</summary>
    public PipelineBuilder Metadata(JsonObject metadata) => With(_pipeline with { Metadata = metadata });

    /// <summary>How the results of every task that says neither <c>execution</c> nor <c>using</c> execute.</summary>
    public PipelineBuilder Execution(string execution) => With(_pipeline with { Execution = execution });

    /// <summary>Adds a task; <paramref name="configure"/> sets its parents, iterator and options.</summary>
    public PipelineBuilder Task(string taskName, string handler, Action<TaskBuilder>? configure = null)
    {
        var builder = new TaskBuilder(new TaskDefinition { Name = taskName, Handler = handler });
        configure?.Invoke(builder);
        _tasks.Add(builder.Definition);
        return this;
    }

    /// <summary>The definition; validate it before running it.</summary>
    public PipelineDefinition Build() => _pipeline with { Tasks = [.. _tasks] };

    private PipelineBuilder With(PipelineDefinition pipeline)
    {
        _pipeline = pipeline;
        return this;
    }
}
