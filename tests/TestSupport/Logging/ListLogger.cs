using Microsoft.Extensions.Logging;

namespace DurablePipelines.TestSupport.Logging;

/// <summary>Keeps every log entry with its structured properties.</summary>
public sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, EventId EventId, IReadOnlyDictionary<string, object?> Properties, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.ToDictionary(p => p.Key, p => p.Value)
            : new Dictionary<string, object?>();
        Entries.Add((logLevel, eventId, properties, formatter(state, exception)));
    }
}
