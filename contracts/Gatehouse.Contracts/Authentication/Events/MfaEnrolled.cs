namespace Gatehouse.Contracts;

/// <summary>A user confirmed a TOTP authenticator with a valid code; MFA is now required at login.</summary>
public sealed record MfaEnrolled(
    Guid UserId,
    string UserName,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
