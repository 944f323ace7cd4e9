namespace Gatehouse.Contracts.Authentication;

/// <summary>
/// The gateway asks whether <paramref name="PublicKey"/> may log in as <paramref name="UserName"/>.
/// Answered with <see cref="PublicKeyAccepted"/> or <see cref="AuthenticationRefused"/>.
/// </summary>
/// <param name="Algorithm">The SSH public key algorithm the client named, e.g. ssh-ed25519.</param>
/// <param name="PublicKey">The public key blob in SSH wire format, base64.</param>
/// <param name="CorrelationId">The gateway's connection id; every event of this login carries it.</param>
public sealed record AuthenticatePublicKey(
    string UserName,
    string Algorithm,
    string PublicKey,
    string? SourceAddress,
    string CorrelationId);
