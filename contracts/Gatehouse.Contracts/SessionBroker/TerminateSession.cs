namespace Gatehouse.Contracts.Sessions;

/// <summary>
/// Ends a live brokered session at once. Sent to the SessionBroker's queue (<c>terminate-session</c>); the gateway
/// that holds the session closes both sides and records <see cref="SessionTerminated"/>.
/// </summary>
/// <param name="RequestedBy">Who asked: an administrator's user name or an automated responder's name.</param>
/// <param name="Reason">Why, shown to the user whose session ends.</param>
public sealed record TerminateSession(
    Guid SessionId,
    string RequestedBy,
    string Reason);
