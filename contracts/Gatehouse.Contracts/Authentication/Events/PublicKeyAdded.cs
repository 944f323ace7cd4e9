namespace Gatehouse.Contracts;

/// <summary>An SSH public key was registered for a user. The key is public; only its owner holds the private half.</summary>
public sealed record PublicKeyAdded(
    Guid UserId,
    string UserName,
    string Algorithm,
    string PublicKey,
    string Fingerprint,
    string? Comment,
    DateTimeOffset? ExpiresAt,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
