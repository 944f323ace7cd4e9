namespace Gatehouse.Contracts;

/// <summary>A user left a target-access role; the role's grants no longer apply to new sessions of theirs.</summary>
public sealed record RoleMemberRemoved(
    Guid RoleId,
    string Role,
    string UserName,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
