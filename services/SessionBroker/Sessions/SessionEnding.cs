using Gatehouse.Contracts;

namespace Gatehouse.SessionBroker.Sessions;

/// <summary>
/// How a session ends: the first reason given wins (with the line the user is told, if any) and cancels everything the
/// session runs; later ones are ignored.
/// </summary>
public sealed class SessionEnding : IDisposable
{
    private readonly CancellationTokenSource _end = new();
    private readonly Lock _lock = new();

    public SessionEndReason? Reason { get; private set; }

    /// <summary>What the user is told of the end; null when nothing (they left, or the target ended it).</summary>
    public string? Message { get; private set; }

    public CancellationToken Token => _end.Token;

    public bool HasEnded => Reason is not null;

    /// <summary>Ends the session for <paramref name="reason"/>; false when it ended already.</summary>
    public bool End(SessionEndReason reason, string? message)
    {
        lock (_lock)
        {
            if (Reason is not null)
            {
                return false;
            }

            (Reason, Message) = (reason, message);
        }

        _end.Cancel();
        return true;
    }

    public void Dispose() => _end.Dispose();
}
