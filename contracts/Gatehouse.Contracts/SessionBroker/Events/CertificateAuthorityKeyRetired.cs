namespace Gatehouse.Contracts;

/// <summary>
/// An administrator stopped trusting an old key of one of Gatehouse's CAs: certificates it signed stop working once
/// targets (or clients) drop it too.
/// </summary>
/// <param name="Kind">"user" or "host".</param>
/// <param name="SigningFingerprint">The key that signs after the retirement.</param>
public sealed record CertificateAuthorityKeyRetired(
    string Kind,
    string RetiredFingerprint,
    string? SigningFingerprint,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
