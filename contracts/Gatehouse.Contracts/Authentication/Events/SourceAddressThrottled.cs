namespace Gatehouse.Contracts;

/// <summary>
/// Too many failures of one guessable factor (password or second factor) from one network address within the window:
/// that factor is refused from it, for every user name, until <paramref name="BlockedUntil"/>. Keys are not refused.
/// </summary>
public sealed record SourceAddressThrottled(
    string Address,
    int RecentFailures,
    DateTimeOffset BlockedUntil,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
