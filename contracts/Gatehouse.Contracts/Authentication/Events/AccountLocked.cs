namespace Gatehouse.Contracts;

/// <summary>
/// Too many failures for a user name from all addresses within the window: its password (where the account lock policy
/// is on) or its second factor is refused until <paramref name="LockedUntil"/> or an unlock. Its keys are not refused.
/// </summary>
public sealed record AccountLocked(
    string UserName,
    int RecentFailures,
    DateTimeOffset LockedUntil,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
