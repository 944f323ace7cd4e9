namespace Gatehouse.Contracts.Authentication;

/// <summary>
/// The gateway asks whether <paramref name="Password"/> is <paramref name="UserName"/>'s password.
/// Answered with <see cref="PasswordAccepted"/> or <see cref="AuthenticationRefused"/>.
/// </summary>
public sealed record AuthenticatePassword(
    string UserName,
    string Password,
    string? SourceAddress,
    string CorrelationId);
