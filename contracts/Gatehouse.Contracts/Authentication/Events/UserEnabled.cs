namespace Gatehouse.Contracts;

/// <summary>A disabled user was enabled again.</summary>
public sealed record UserEnabled(
    Guid UserId,
    string UserName,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
