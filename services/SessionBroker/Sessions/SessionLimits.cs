using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;

namespace Gatehouse.SessionBroker.Sessions;

/// <summary>Why a limit ends a session, and the line the user is told.</summary>
public sealed record SessionLimitReached(SessionEndReason Reason, string Message);

/// <summary>
/// The idle and maximum-length limits of one session: when it was last active, the deadline its grant and the gateway
/// set (replaced when its access is checked again), and a watch that ends the session when either is reached.
/// </summary>
public sealed class SessionLimits(DateTimeOffset startedAt, TimeSpan idleTimeout, TimeSpan gatewayMaximum, TimeProvider clock)
{
    /// <summary>How often the watch looks: a limit is applied within this of being reached.</summary>
    public static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(250);

    private long _lastActivity = startedAt.UtcTicks;
    private int _inputHeld;
    private volatile SessionDeadline? _deadline;

    public DateTimeOffset LastActivity => new(Interlocked.Read(ref _lastActivity), TimeSpan.Zero);

    public SessionDeadline? Deadline => _deadline;

    /// <summary>Something passed in either direction.</summary>
    public void Touch() => Interlocked.Exchange(ref _lastActivity, clock.GetUtcNow().UtcTicks);

    /// <summary>
    /// The user's input is with the command gate (a line being checked and recorded, keys held behind it): the session is
    /// busy, not idle, however long that takes, until <see cref="InputPassed"/>. Nothing passes meanwhile, since the gate
    /// reads no more input until it is done.
    /// </summary>
    public void InputHeld() => Interlocked.Increment(ref _inputHeld);

    /// <summary>The gate is done with the input it held: that counts as activity.</summary>
    public void InputPassed()
    {
        Touch();
        Interlocked.Decrement(ref _inputHeld);
    }

    /// <summary>The session goes on under <paramref name="access"/>: its deadline follows that grant.</summary>
    public void Allow(AccessAllowed access) =>
        _deadline = SessionDeadline.For(startedAt, gatewayMaximum, access.MaxSessionLength, access.GrantExpiresAt);

    /// <summary>
    /// Which limit, if any, a session has reached at <paramref name="now"/>: the deadline first, then idleness (never while
    /// the gate holds its input: <paramref name="inputHeld"/>).
    /// </summary>
    public static SessionLimitReached? Reached(DateTimeOffset now, DateTimeOffset lastActivity, bool inputHeld, SessionDeadline? deadline,
        TimeSpan idleTimeout, string target) =>
        deadline is { } due && now >= due.At ? new SessionLimitReached(due.EndReason, due.Message(target))
        : !inputHeld && now - lastActivity >= idleTimeout ? new SessionLimitReached(SessionEndReason.IdleTimeout,
            $"gatehouse: the session was idle for {idleTimeout} and was closed")
        : null;

    /// <summary>Ends the session through <paramref name="end"/> when a limit is reached; returns when it ended.</summary>
    public async Task WatchAsync(string target, SessionEnding end)
    {
        using var timer = new PeriodicTimer(WatchInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(end.Token))
            {
                if (Reached(clock.GetUtcNow(), LastActivity, Volatile.Read(ref _inputHeld) > 0, _deadline, idleTimeout, target) is { } reached)
                {
                    end.End(reached.Reason, reached.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Ended.
        }
    }
}
