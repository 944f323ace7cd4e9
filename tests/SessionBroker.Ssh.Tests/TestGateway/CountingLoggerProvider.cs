using Microsoft.Extensions.Logging;

namespace Gatehouse.Ssh.Tests.TestGateway;

/// <summary>Counts errors the gateway logs: a hostile client must never cause one.</summary>
internal sealed class CountingLoggerProvider : ILoggerProvider
{
    private int _errors;

    public int Errors => Volatile.Read(ref _errors);

    public List<string> ErrorMessages { get; } = [];

    public ILogger CreateLogger(string categoryName) => new Counter(this);

    public void Dispose()
    {
    }

    private sealed class Counter(CountingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Error) return;
            Interlocked.Increment(ref owner._errors);
            lock (owner.ErrorMessages) owner.ErrorMessages.Add(formatter(state, exception) + " " + exception);
        }
    }
}
