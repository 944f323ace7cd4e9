namespace Gatehouse.Contracts;

/// <summary>
/// An administrator gave one of Gatehouse's CAs a new key. Both keys are trusted during the transition; the new one signs
/// from <paramref name="SignsFrom"/>, so every target (user CA) or client (host CA) must trust it by then.
/// </summary>
/// <param name="Kind">"user" (the CA targets trust for session logins) or "host" (the CA that signs host keys).</param>
/// <param name="PreviousFingerprint">The key that signed when the new one was made (it stays trusted until retired).</param>
public sealed record CertificateAuthorityRotated(
    string Kind,
    string? PreviousFingerprint,
    string NewFingerprint,
    string NewPublicKey,
    DateTimeOffset SignsFrom,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
