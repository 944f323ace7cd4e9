namespace Gatehouse.Contracts.Authentication;

/// <summary>
/// The gateway passes on the second factor after a first factor was accepted with MFA required, within the same
/// connection (<paramref name="CorrelationId"/>). <paramref name="Code"/> is a TOTP code or a recovery code.
/// Answered with <see cref="MfaVerified"/> or <see cref="AuthenticationRefused"/>.
/// </summary>
public sealed record VerifyMfa(
    string UserName,
    string Code,
    string? SourceAddress,
    string CorrelationId);
