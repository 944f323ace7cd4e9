namespace Gatehouse.Contracts;

/// <summary>
/// An admin made a new key for signing API tokens; it signs from <see cref="SignsFrom"/>. When the old key was
/// <see cref="PreviousKeysWithdrawn"/> (compromised), every token it signed stopped working at once.
/// </summary>
public sealed record ApiSigningKeyRotated(
    string KeyId,
    DateTimeOffset SignsFrom,
    bool PreviousKeysWithdrawn,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
