namespace Gatehouse.Contracts.Authentication;

/// <summary>
/// The login is refused. An unknown user is reported exactly like a wrong credential, so the gateway learns no more
/// than the SSH protocol reveals; the precise reason is in the <see cref="LoginFailed"/> or <see cref="MfaFailed"/> event.
/// </summary>
/// <param name="Message">Safe to show the person logging in.</param>
public sealed record AuthenticationRefused(
    LoginFailureReason Reason,
    string Message);
