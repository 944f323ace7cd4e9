namespace Gatehouse.Contracts;

/// <summary>A command policy no longer applies to new sessions.</summary>
public sealed record CommandPolicyRemoved(
    Guid PolicyId,
    string Name,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
