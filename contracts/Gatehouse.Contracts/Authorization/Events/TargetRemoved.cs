namespace Gatehouse.Contracts;

/// <summary>A target was decommissioned: no new session may reach it. Its name stays reserved so the audit trail stays unambiguous.</summary>
public sealed record TargetRemoved(
    Guid TargetId,
    string Name,
    string Reason,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
