namespace Gatehouse.Contracts;

/// <summary>A user's password was set or changed. The hash is never part of this event.</summary>
public sealed record PasswordChanged(
    Guid UserId,
    string UserName,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
