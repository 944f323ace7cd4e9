using Gatehouse.Contracts;
using System.Collections.Concurrent;
using Gatehouse.Contracts.Sessions;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Sessions.Forwarding;
using Gatehouse.SessionBroker.Sessions.WithdrawingAccess;

namespace Gatehouse.SessionBroker.Sessions;

/// <summary>
/// The connections and sessions this gateway instance holds now, and the changes of access and command policies that
/// reached it while they ran.
/// </summary>
public sealed class LiveSessions(ILogger<LiveSessions> logger)
{
    /// <summary>How many recent changes are kept for a session that was deciding while one arrived.</summary>
    private const int RecentChangesKept = 256;

    /// <summary>Who asks, as <see cref="Contracts.SessionTerminated.TerminatedBy"/> records it, when a change ends a session.</summary>
    public const string Gatehouse = "gatehouse";

    private readonly ConcurrentDictionary<Guid, BrokeredSession> _sessions = new();
    private readonly ConcurrentDictionary<Guid, GatewayConnection> _connections = new();
    private readonly ConcurrentDictionary<Guid, OpenForward> _forwards = new();
    private readonly Queue<(long Number, AccessChange Change)> _recent = new();
    private long _accessChanges;
    private long _policyChanges;

    public int Count => _sessions.Count;

    /// <summary>Names this instance while it runs, in its answers to <see cref="FindLiveSessions"/>.</summary>
    public string Instance { get; } = $"{Environment.MachineName}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Moves with every change of access that reached this instance.</summary>
    public long AccessChanges => Interlocked.Read(ref _accessChanges);

    /// <summary>Moves with every change of command policies (or of roles they depend on): sessions re-fetch theirs before their next line.</summary>
    public long PolicyChanges => Interlocked.Read(ref _policyChanges);

    public void Add(BrokeredSession session) => _sessions[session.SessionId] = session;

    public void Remove(BrokeredSession session) => _sessions.TryRemove(session.SessionId, out _);

    public void Add(OpenForward forward) => _forwards[forward.Opened.ForwardingId] = forward;

    public void Remove(OpenForward forward) => _forwards.TryRemove(forward.Opened.ForwardingId, out _);

    public void Add(GatewayConnection connection) => _connections[connection.ConnectionId] = connection;

    public void Remove(GatewayConnection connection) => _connections.TryRemove(connection.ConnectionId, out _);

    /// <summary>The live session with that id on this instance, if it holds it.</summary>
    public BrokeredSession? Find(Guid sessionId) => _sessions.GetValueOrDefault(sessionId);

    public IReadOnlyList<LiveSession> List() =>
        _sessions.Values.Select(s => s.Describe()).OrderBy(s => s.StartedAt).ToList();

    /// <summary>The forwards this instance holds open, oldest first.</summary>
    public IReadOnlyList<LiveForward> Forwards() =>
        _forwards.Values.Select(f => f.Opened)
            .Select(o => new LiveForward(o.ForwardingId, o.UserName, o.Target, o.Login, o.Kind, o.DestinationHost, o.DestinationPort, o.SourceAddress,
                o.OccurredAt))
            .OrderBy(f => f.OpenedAt).ToList();

    /// <summary>Whether this instance holds a live session or an open forward with that id.</summary>
    public bool Holds(Guid id) => _sessions.ContainsKey(id) || _forwards.ContainsKey(id);

    /// <summary>Ends a live session or an open forward (by its forwarding id); false when this instance holds neither with that id.</summary>
    public async Task<bool> TerminateAsync(Guid sessionId, string requestedBy, string reason, CancellationToken cancellationToken)
    {
        if (_forwards.TryGetValue(sessionId, out var forward))
        {
            forward.End(new ForwardEnd(ForwardingEndReason.Terminated, $"terminated by {requestedBy}: {reason}"));
            return true;
        }

        if (!_sessions.TryGetValue(sessionId, out var session))
        {
            return false;
        }

        await session.TerminateAsync(requestedBy, reason, cancellationToken);
        return true;
    }

    public void PoliciesChanged() => Interlocked.Increment(ref _policyChanges);

    /// <summary>
    /// Applies a change of access: connections it reaches open no new session, sessions it reaches end (or are checked
    /// again and end when refused), each through the same termination an operator's <see cref="TerminateSession"/> uses.
    /// </summary>
    public async Task<int> WithdrawAsync(AccessChange change, CancellationToken cancellationToken)
    {
        lock (_recent)
        {
            _recent.Enqueue((Interlocked.Increment(ref _accessChanges), change));
            while (_recent.Count > RecentChangesKept)
            {
                _recent.Dequeue();
            }
        }

        if (change is MembershipChanged)
        {
            PoliciesChanged();
        }

        foreach (var connection in _connections.Values)
        {
            connection.Apply(change);
        }

        var affected = _sessions.Values
            .Select(session => (Session: session, Withdrawal: session.Relied is { } relied ? AccessWithdrawals.For(relied, change) : Withdrawal.Unaffected))
            .Where(s => s.Withdrawal.Action != WithdrawalAction.Unaffected)
            .ToList();
        var forwards = _forwards.Values
            .Select(forward => (Forward: forward, Withdrawal: AccessWithdrawals.For(forward.Relied, change)))
            .Where(f => f.Withdrawal.Action != WithdrawalAction.Unaffected)
            .ToList();
        foreach (var (forward, withdrawal) in forwards.Where(f => f.Withdrawal.Action == WithdrawalAction.End))
        {
            forward.End(new ForwardEnd(ForwardingEndReason.AccessWithdrawn, withdrawal.Reason));
        }

        await Task.WhenAll(affected.Select(s => EndOrRecheckAsync(s.Session, s.Withdrawal, cancellationToken))
            .Concat(forwards.Where(f => f.Withdrawal.Action == WithdrawalAction.Recheck).Select(f => f.Forward.RecheckAsync(f.Withdrawal.Reason))));
        return affected.Count + forwards.Count;
    }

    /// <summary>The changes since <paramref name="seen"/> (an <see cref="AccessChanges"/> value); null when some were forgotten already.</summary>
    public IReadOnlyList<AccessChange>? ChangesSince(long seen)
    {
        lock (_recent)
        {
            if (AccessChanges == seen)
            {
                return [];
            }

            return _recent.Count > 0 && _recent.Peek().Number <= seen + 1
                ? _recent.Where(r => r.Number > seen).Select(r => r.Change).ToList()
                : null;
        }
    }

    public async Task EndOrRecheckAsync(BrokeredSession session, Withdrawal withdrawal, CancellationToken cancellationToken)
    {
        try
        {
            if (withdrawal.Action == WithdrawalAction.End)
            {
                await session.TerminateAsync(Gatehouse, withdrawal.Reason, cancellationToken);
            }
            else if (withdrawal.Action == WithdrawalAction.Recheck)
            {
                await session.RecheckAsync(withdrawal.Reason, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Session {SessionId} could not be ended after {Reason}", session.SessionId, withdrawal.Reason);
        }
    }
}
