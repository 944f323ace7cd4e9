using System.Collections.Concurrent;
using Gatehouse.Contracts.Sessions;

namespace Gatehouse.SessionBroker.Sessions;

/// <summary>The sessions this gateway instance is relaying now.</summary>
public sealed class LiveSessions
{
    private readonly ConcurrentDictionary<Guid, BrokeredSession> _sessions = new();

    public int Count => _sessions.Count;

    public void Add(BrokeredSession session) => _sessions[session.SessionId] = session;

    public void Remove(BrokeredSession session) => _sessions.TryRemove(session.SessionId, out _);

    public IReadOnlyList<LiveSession> List() =>
        _sessions.Values.Select(s => s.Describe()).OrderBy(s => s.StartedAt).ToList();

    /// <summary>Ends a live session; false when this instance holds no session with that id.</summary>
    public async Task<bool> TerminateAsync(Guid sessionId, string requestedBy, string reason, CancellationToken cancellationToken)
    {
        if (!_sessions.TryGetValue(sessionId, out var session))
        {
            return false;
        }

        await session.TerminateAsync(requestedBy, reason, cancellationToken);
        return true;
    }
}
