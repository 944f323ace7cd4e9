namespace Gatehouse.Contracts.Authentication;

/// <summary>
/// The gateway asks whether <paramref name="PublicKey"/> may log in as <paramref name="UserName"/>.
/// Answered with <see cref="PublicKeyAccepted"/> or <see cref="AuthenticationRefused"/>.
/// </summary>
/// <param name="Algorithm">The SSH public key algorithm the client named, e.g. ssh-ed25519.</param>
/// <param name="PublicKey">The public key blob in SSH wire format, base64.</param>
/// <param name="CorrelationId">The gateway's connection id; every event of this login carries it.</param>
/// <param name="CertificateRefused">
/// This connection's user certificate for the same key was refused a moment before (by the gateway or by Authentication)
/// and recorded as a failed login: ssh offers the plain key next, and if it is no key of this user that is the same
/// attempt, refused without a second <see cref="LoginFailed"/>.
/// </param>
public sealed record AuthenticatePublicKey(
    string UserName,
    string Algorithm,
    string PublicKey,
    string? SourceAddress,
    string CorrelationId,
    bool CertificateRefused = false);
