namespace Gatehouse.Contracts;

/// <summary>
/// A command policy was created or replaced. It applies to sessions on targets carrying every one of
/// <paramref name="TargetLabels"/> (none: every target) by users holding any of <paramref name="Roles"/> (none: everyone).
/// </summary>
public sealed record CommandPolicyChanged(
    Guid PolicyId,
    string Name,
    string Pattern,
    CommandPatternKind PatternKind,
    CommandPolicyAction Action,
    IReadOnlyDictionary<string, string> TargetLabels,
    IReadOnlyList<string> Roles,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
