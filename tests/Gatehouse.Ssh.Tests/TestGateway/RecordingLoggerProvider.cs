using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Ssh.Tests.TestGateway;

/// <summary>Keeps what the gateway logs: tests look for errors (a hostile client must never cause one) and facts.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private int _errors;

    public int Errors => Volatile.Read(ref _errors);

    public ConcurrentQueue<string> ErrorMessages { get; } = new();

    public ConcurrentQueue<string> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Recorder(this);

    public void Dispose()
    {
    }

    private sealed class Recorder(RecordingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            owner.Messages.Enqueue(message);
            if (logLevel < LogLevel.Error) return;
            Interlocked.Increment(ref owner._errors);
            owner.ErrorMessages.Enqueue(message + " " + exception);
        }
    }
}
