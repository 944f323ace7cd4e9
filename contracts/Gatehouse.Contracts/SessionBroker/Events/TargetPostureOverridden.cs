namespace Gatehouse.Contracts;

/// <summary>
/// An administrator let sessions reach a target that the posture policy refuses, until <paramref name="Until"/>: an
/// emergency measure (the fix itself may need a session), recorded with its reason.
/// </summary>
public sealed record TargetPostureOverridden(
    string Target,
    DateTimeOffset Until,
    string Reason,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
