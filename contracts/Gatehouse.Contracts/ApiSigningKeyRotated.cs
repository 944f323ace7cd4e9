namespace Gatehouse.Contracts;

/// <summary>An admin made a new key for signing API tokens; it signs from <see cref="SignsFrom"/>, after every service has fetched it.</summary>
public sealed record ApiSigningKeyRotated(
    string KeyId,
    DateTimeOffset SignsFrom,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
