using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Sessions.WithdrawingAccess;

namespace Gatehouse.SessionBroker.Sessions.Forwarding;

/// <summary>Why the gateway ended an open forward; a forward that either side closed has none.</summary>
public sealed record ForwardEnd(ForwardingEndReason Reason, string Because);

/// <summary>
/// A forward while it is open: held by the instance's <see cref="LiveSessions"/> so that what ends sessions ends it too
/// (a withdrawal of its access, its grant's expiry, the maximum length, an operator's terminate). Ending it closes both
/// sides; the relay then records how much it carried.
/// </summary>
public sealed class OpenForward : IDisposable
{
    private readonly ConnectionAccess _connection;
    private readonly CancellationTokenSource _ended = new();
    private readonly DeadlineTimer _deadline;
    private readonly string _host;
    private readonly uint _port;
    private ForwardEnd? _end;

    /// <param name="host">
    /// The destination as the client asked for it (the event keeps its printable form); for a remote forward and its
    /// connections, the address and port the client asked the target to listen on (0 when it let the target pick).
    /// </param>
    public OpenForward(ForwardingOpened opened, string host, uint port, AccessAllowed access, ConnectionAccess connection, TimeSpan gatewayMaximum,
        TimeProvider clock)
    {
        (Opened, _host, _port, Access, _connection) = (opened, host, port, access, connection);
        Deadline = SessionDeadline.For(opened.OccurredAt, gatewayMaximum, access.MaxSessionLength, access.GrantExpiresAt);
        _deadline = new DeadlineTimer(Deadline.At, clock, () => End(Deadline.GrantExpires
            ? new ForwardEnd(ForwardingEndReason.GrantExpired, $"the grant expired at {Deadline.At:u}")
            : new ForwardEnd(ForwardingEndReason.MaxLength, $"it reached the maximum length of {SessionDeadline.Describe(Deadline.MaximumLength)}")));
    }

    public ForwardingOpened Opened { get; }

    public AccessAllowed Access { get; }

    public SessionDeadline Deadline { get; }

    /// <summary>Cancelled when the gateway ends the forward.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>Why the gateway ended it; null while open or when a side closed it.</summary>
    public ForwardEnd? EndedBy => Volatile.Read(ref _end);

    public ReliedAccess Relied => _connection.Relied(Access);

    /// <summary>Ends the forward; the first reason stands.</summary>
    public void End(ForwardEnd end)
    {
        if (Interlocked.CompareExchange(ref _end, end, null) is null)
        {
            _ended.Cancel();
        }
    }

    /// <summary>
    /// After a change of roles: asks Authorization again and ends the forward unless this destination is still allowed (or
    /// when no answer comes: fail closed).
    /// </summary>
    public async Task RecheckAsync(string why)
    {
        string because;
        try
        {
            var decision = await _connection.DecideAsync();
            var verdict = Opened.Kind == ForwardingKind.Local
                ? ForwardingRules.Decide(decision, _host, _port)
                : ForwardingRules.DecideRemote(decision, _host, _port);
            if (verdict.Allowed is not null)
            {
                return;
            }

            because = $"{why}: {verdict.Message.Replace("gatehouse: ", "")}";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            because = $"{why}, and access could not be checked again";
        }

        End(new ForwardEnd(ForwardingEndReason.AccessWithdrawn, because));
    }

    public void Dispose()
    {
        _deadline.Dispose();
        _ended.Dispose();
    }
}
