using DurablePipelines.Runners;

namespace DurablePipelines.Hosting;

/// <summary>The runners a host knows, by name; configuration picks one with <c>Pipelines:Runner</c>.</summary>
public sealed class PipelineRunnerRegistry(IEnumerable<IPipelineRunner> runners)
{
    private readonly Dictionary<string, IPipelineRunner> _runners = runners
        .GroupBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Every runner's name, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _runners.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The runner called <paramref name="name"/>; the error lists the known ones.</summary>
    public IPipelineRunner Get(string name) =>
        _runners.TryGetValue(name, out var runner)
            ? runner
            : throw new KeyNotFoundException($"unknown runner '{name}' (known: {string.Join(", ", Names)})");

    /// <summary>True when a runner of that name is registered.</summary>
    public bool Contains(string name) => _runners.ContainsKey(name);
}
