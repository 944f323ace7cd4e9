using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>
/// Everything a service logs, as text (message, structured values and exception), so a test can prove a secret
/// never reaches the logs. Gatehouse's and SSH.NET's own categories are captured down to Debug.
/// </summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public static void AddTo(ILoggingBuilder logging, CapturedLog log)
    {
        logging.AddProvider(log);
        logging.AddFilter<CapturedLog>(null, LogLevel.Information);
        logging.AddFilter<CapturedLog>("Gatehouse", LogLevel.Debug);
        logging.AddFilter<CapturedLog>("Renci", LogLevel.Debug);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
