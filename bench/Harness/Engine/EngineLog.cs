using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace DurablePipelines.Bench.Harness.Engine;

/// <summary>
/// Keeps the engine's warnings and errors (DurableTask.AzureStorage names a message it could not delete, a lease it
/// lost, a poison message) with their time, so a scenario can say how many a run produced. With
/// <c>BENCH_ENGINE_LOG=LEVEL</c> (<c>Information</c>, <c>Warning</c>) it also writes every line of that level and above
/// to standard error, with its time.
/// </summary>
internal sealed class EngineLog : ILoggerProvider
{
    private readonly ConcurrentQueue<(DateTime At, string Category, string Message)> _warnings = new();

    private static readonly LogLevel s_echo = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("BENCH_ENGINE_LOG"), ignoreCase: true, out var level)
        ? level
        : LogLevel.None;

    public int WarningCount => _warnings.Count;

    public IReadOnlyList<(DateTime At, string Category, string Message)> Warnings => [.. _warnings];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(EngineLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning || logLevel >= s_echo;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var at = DateTime.UtcNow;
            var message = formatter(state, exception);
            if (logLevel >= LogLevel.Warning)
            {
                log._warnings.Enqueue((at, category, message));
            }

            if (logLevel >= s_echo)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{at:HH:mm:ss.fff} {logLevel} {category}[{eventId.Id}] {message}"));
            }
        }
    }
}
