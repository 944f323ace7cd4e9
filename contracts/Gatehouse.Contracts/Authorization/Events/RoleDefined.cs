namespace Gatehouse.Contracts;

/// <summary>A target-access role (e.g. dba, on-call) was defined in Authorization; grants can name it.</summary>
public sealed record RoleDefined(
    Guid RoleId,
    string Name,
    string Description,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
