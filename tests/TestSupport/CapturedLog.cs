using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gatehouse.TestSupport;

/// <summary>
/// What a service logs, so tests can see what an operator would see, and prove a secret never reaches the logs.
/// </summary>
public sealed class CapturedLog : ILoggerProvider
{
    /// <param name="Text">The whole entry: message, structured values and exception.</param>
    public sealed record Entry(string Category, LogLevel Level, string Message, string Text);

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public IEnumerable<string> Lines => Entries.Select(e => e.Text);

    /// <summary>Captures Information and up, and Gatehouse's and SSH.NET's own categories down to Debug.</summary>
    public static void AddTo(ILoggingBuilder logging, CapturedLog log)
    {
        logging.AddProvider(log);
        logging.AddFilter<CapturedLog>(null, LogLevel.Information);
        logging.AddFilter<CapturedLog>("Gatehouse", LogLevel.Debug);
        logging.AddFilter<CapturedLog>("Renci", LogLevel.Debug);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            entries.Enqueue(new Entry(category, logLevel, message, $"{logLevel} {category}: {message} [{values}] {exception}"));
        }
    }
}
