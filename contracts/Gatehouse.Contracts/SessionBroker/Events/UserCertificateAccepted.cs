namespace Gatehouse.Contracts;

/// <summary>
/// A user signed in to the gateway with an OpenSSH user certificate from a trusted CA (the first factor; the login's
/// LoginSucceeded, with the same correlation id, follows once any second factor is given). The serial and key id tie the
/// login to the issuing CA's own records.
/// </summary>
/// <param name="KeyFingerprint">SHA256 fingerprint of the certified key.</param>
/// <param name="CriticalOptions">The critical options the certificate carried and the gateway honoured (name=value).</param>
public sealed record UserCertificateAccepted(
    string UserName,
    ulong Serial,
    string KeyId,
    IReadOnlyList<string> Principals,
    DateTimeOffset ValidAfter,
    DateTimeOffset ValidBefore,
    IReadOnlyList<string> CriticalOptions,
    string CaFingerprint,
    string KeyFingerprint,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
