namespace Gatehouse.Contracts;

/// <summary>An authentication attempt was refused.</summary>
/// <param name="UserName">The user name as presented, which may not exist.</param>
/// <param name="Method">The method that failed: publickey, password or keyboard-interactive; certificate for a user certificate (refused by the gateway, or by Authentication for its account).</param>
public sealed record LoginFailed(
    string UserName,
    string Method,
    LoginFailureReason Reason,
    string? KeyFingerprint,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
