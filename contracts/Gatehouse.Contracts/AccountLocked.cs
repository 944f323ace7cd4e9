namespace Gatehouse.Contracts;

/// <summary>Too many failures for a user name within the window: every login is refused until <paramref name="LockedUntil"/> or an unlock.</summary>
public sealed record AccountLocked(
    string UserName,
    int RecentFailures,
    DateTimeOffset LockedUntil,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
