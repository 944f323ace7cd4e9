namespace Gatehouse.Contracts;

/// <summary>An SSH public key was removed from a user.</summary>
public sealed record PublicKeyRemoved(
    Guid UserId,
    string UserName,
    string Fingerprint,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
