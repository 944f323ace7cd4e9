namespace Gatehouse.Contracts.Authentication;

/// <summary>
/// The gateway accepted an OpenSSH user certificate naming <paramref name="UserName"/> (trusted CA, valid, principal,
/// options, not revoked) and the client proved its key: may that user sign in with it? Authentication decides the account
/// (exists, enabled, second factor) as for a registered key. Answered with <see cref="PublicKeyAccepted"/> or
/// <see cref="AuthenticationRefused"/>.
/// </summary>
/// <param name="KeyFingerprint">SHA256 fingerprint of the certified key.</param>
/// <param name="CaFingerprint">SHA256 fingerprint of the CA key that signed the certificate.</param>
public sealed record AuthenticateUserCertificate(
    string UserName,
    string KeyFingerprint,
    string CaFingerprint,
    ulong Serial,
    string KeyId,
    string? SourceAddress,
    string CorrelationId);
