namespace DurablePipelines.Handlers;

/// <summary>
/// The handlers a host knows, by name: every <see cref="HandlerRegistration"/> in the container. A name may
/// be a task handler (<see cref="IPipelineTask"/>), an iterator source (<see cref="IIteratorSource"/>) or both, or a
/// task runner (<see cref="ITaskRunner"/>).
/// </summary>
public sealed class HandlerRegistry
{
    private readonly Dictionary<string, Func<object>> _factories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Type> _types = new(StringComparer.Ordinal);

    /// <summary>Builds the registry from the container's registrations; the last registration of a name wins.</summary>
    public HandlerRegistry(IServiceProvider services, IEnumerable<HandlerRegistration> registrations)
    {
        foreach (var registration in registrations)
        {
            var type = registration.Type;
            _types[registration.Name] = type;
            _factories[registration.Name] = () => services.GetService(type)
                ?? throw new InvalidOperationException($"handler '{registration.Name}' is registered as {type.Name}, but the container has no {type.Name}");
        }
    }

    private HandlerRegistry()
    {
    }

    /// <summary>Every registered name, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _types.Keys.Order(StringComparer.Ordinal)];

    /// <summary>A registry over ready-made instances, for tests and small tools.</summary>
    public static HandlerRegistry FromInstances(IReadOnlyDictionary<string, object> handlers)
    {
        var registry = new HandlerRegistry();
        foreach (var (name, instance) in handlers)
        {
            registry._types[name] = instance.GetType();
            registry._factories[name] = () => instance;
        }

        return registry;
    }

    /// <summary>True when <paramref name="name"/> is a registered task handler.</summary>
    public bool IsTask(string name) => _types.TryGetValue(name, out var t) && typeof(IPipelineTask).IsAssignableFrom(t);

    /// <summary>True when <paramref name="name"/> is a registered iterator source.</summary>
    public bool IsIteratorSource(string name) => _types.TryGetValue(name, out var t) && typeof(IIteratorSource).IsAssignableFrom(t);

    /// <summary>The task handler registered as <paramref name="name"/>.</summary>
    public IPipelineTask GetTask(string name) =>
        IsTask(name) ? (IPipelineTask)_factories[name]() : throw new KeyNotFoundException($"unknown handler '{name}'");

    /// <summary>The iterator source registered as <paramref name="name"/>.</summary>
    public IIteratorSource GetIteratorSource(string name) =>
        IsIteratorSource(name) ? (IIteratorSource)_factories[name]() : throw new KeyNotFoundException($"unknown iterator source '{name}'");

    /// <summary>True when <paramref name="name"/> is a registered task runner.</summary>
    public bool IsTaskRunner(string name) => _types.TryGetValue(name, out var t) && typeof(ITaskRunner).IsAssignableFrom(t);

    /// <summary>The task runner registered as <paramref name="name"/>.</summary>
    public ITaskRunner GetTaskRunner(string name) =>
        IsTaskRunner(name) ? (ITaskRunner)_factories[name]() : throw new KeyNotFoundException($"unknown task runner '{name}'");

    /// <summary>Names of task runners, sorted.</summary>
    public IEnumerable<string> TaskRunnerNames => _types.Where(p => typeof(ITaskRunner).IsAssignableFrom(p.Value)).Select(p => p.Key).Order(StringComparer.Ordinal);

    /// <summary>Names of task handlers, sorted, for "did you mean" hints.</summary>
    public IEnumerable<string> TaskNames => _types.Where(p => typeof(IPipelineTask).IsAssignableFrom(p.Value)).Select(p => p.Key).Order(StringComparer.Ordinal);

    /// <summary>Names of iterator sources, sorted.</summary>
    public IEnumerable<string> IteratorSourceNames => _types.Where(p => typeof(IIteratorSource).IsAssignableFrom(p.Value)).Select(p => p.Key).Order(StringComparer.Ordinal);
}
