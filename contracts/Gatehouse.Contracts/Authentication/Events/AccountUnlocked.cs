namespace Gatehouse.Contracts;

/// <summary>A locked user name was unlocked by an administrator; its failure count starts again from zero.</summary>
public sealed record AccountUnlocked(
    string UserName,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
