namespace Gatehouse.Contracts;

/// <summary>A second-factor code was refused.</summary>
public sealed record MfaFailed(
    string UserName,
    LoginFailureReason Reason,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
