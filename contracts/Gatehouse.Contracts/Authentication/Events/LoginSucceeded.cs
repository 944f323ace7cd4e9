namespace Gatehouse.Contracts;

/// <summary>A user proved who they are to the gateway.</summary>
/// <param name="Methods">The methods that together authenticated the user, e.g. "publickey,keyboard-interactive".</param>
/// <param name="KeyFingerprint">SHA256 fingerprint of the public key used, when one was.</param>
public sealed record LoginSucceeded(
    string UserName,
    string Methods,
    string? KeyFingerprint,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
