namespace Gatehouse.Contracts;

/// <summary>A user was made a member of a target-access role, and so receives every grant to that role.</summary>
public sealed record RoleMemberAdded(
    Guid RoleId,
    string Role,
    string UserName,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
