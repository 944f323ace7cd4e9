namespace Gatehouse.Contracts;

/// <summary>
/// A command policy was created or replaced. It applies to sessions on targets carrying every one of
/// <paramref name="TargetLabels"/> (none: every target) by members of any of the access roles <paramref name="Roles"/> and by
/// users holding any of the API roles <paramref name="ApiRoles"/> (both empty: everyone).
/// </summary>
/// <param name="ApiRoles">
/// Null on policies written before API roles and access roles were told apart: their <paramref name="Roles"/> may name either,
/// and Authorization reads them by one rule (<c>RolesBeforeTheSplit</c>).
/// </param>
public sealed record CommandPolicyChanged(
    Guid PolicyId,
    string Name,
    string Pattern,
    CommandPatternKind PatternKind,
    CommandPolicyAction Action,
    IReadOnlyDictionary<string, string> TargetLabels,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string>? ApiRoles,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
