namespace Gatehouse.Contracts;

/// <summary>A user was deleted. The stream and its history stay; the name cannot be reused, so the audit trail stays unambiguous.</summary>
public sealed record UserDeleted(
    Guid UserId,
    string UserName,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
