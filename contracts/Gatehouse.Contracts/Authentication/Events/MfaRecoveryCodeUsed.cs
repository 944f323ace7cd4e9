namespace Gatehouse.Contracts;

/// <summary>A one-time recovery code was used instead of a TOTP code.</summary>
public sealed record MfaRecoveryCodeUsed(
    string UserName,
    int RecoveryCodesLeft,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
