namespace Gatehouse.Contracts;

/// <summary>An administrator removed a user's TOTP authenticator (e.g. a lost phone); the user must enroll again.</summary>
public sealed record MfaRemoved(
    Guid UserId,
    string UserName,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
