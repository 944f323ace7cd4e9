namespace Gatehouse.Contracts;

/// <summary>Too many failures from one network address within the window: logins from it are refused until <paramref name="BlockedUntil"/>.</summary>
public sealed record SourceAddressThrottled(
    string Address,
    int RecentFailures,
    DateTimeOffset BlockedUntil,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
