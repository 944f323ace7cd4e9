namespace Gatehouse.Contracts;

/// <summary>A user's roles were replaced by <paramref name="Roles"/>.</summary>
public sealed record UserRolesChanged(
    Guid UserId,
    string UserName,
    IReadOnlyList<string> Roles,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
