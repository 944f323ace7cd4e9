namespace Gatehouse.Contracts;

/// <summary>A grant was withdrawn; no new session may use it from this moment.</summary>
public sealed record GrantRevoked(
    Guid GrantId,
    GrantSubjectKind SubjectKind,
    string Subject,
    string Reason,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
