namespace Gatehouse.Contracts;

/// <summary>A user's roles were replaced by <paramref name="Roles"/>.</summary>
/// <param name="PreviousRoles">The roles held before, so that what a change gave is told by the event itself, whatever
/// order its readers get events in; null from a sender before it was carried.</param>
public sealed record UserRolesChanged(
    Guid UserId,
    string UserName,
    IReadOnlyList<string> Roles,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt,
    IReadOnlyList<string>? PreviousRoles = null) : IAccessEvent;
