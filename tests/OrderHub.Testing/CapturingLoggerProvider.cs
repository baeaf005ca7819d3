using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OrderHub.Testing;

/// <summary>Keeps every log line written through it, formatted, so a test can look for what must never be logged.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }

    /// <summary>Creates a typed logger writing to this provider.</summary>
    /// <typeparam name="T">The category.</typeparam>
    /// <returns>The logger.</returns>
    public ILogger<T> CreateLogger<T>() => new Logger<T>(new Factory(this));

    private sealed class Factory(ILoggerProvider provider) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
