using Gatehouse.Contracts;
using Gatehouse.Contracts.Authentication;

namespace Gatehouse.Authentication.SignIn;

/// <summary>
/// What the gateway may learn from a refusal: an unknown user looks exactly like a wrong key or password, and the
/// messages are safe to show the person logging in.
/// </summary>
public static class GatewayReplies
{
    public static AuthenticationRefused Refusal(LoginFailureReason reason, string method) => reason switch
    {
        LoginFailureReason.UnknownUser or LoginFailureReason.UnknownKey when method == SignInService.PublicKeyMethod =>
            new(LoginFailureReason.UnknownKey, "Permission denied: this key is not accepted."),
        LoginFailureReason.UnknownUser or LoginFailureReason.WrongPassword or LoginFailureReason.PasswordNotSet =>
            new(LoginFailureReason.WrongPassword, "Permission denied: wrong user name or password."),
        LoginFailureReason.WrongMfaCode => new(reason, "The verification code is not valid."),
        LoginFailureReason.MfaCodeReused => new(reason, "This verification code was already used; wait for the next one."),
        LoginFailureReason.AccountDisabled => new(reason, "This account is disabled."),
        LoginFailureReason.AccountLocked => new(reason, "Too many failed attempts: this account is locked for a while."),
        LoginFailureReason.TooManyAttempts => new(reason, "Too many failed attempts from your address: try again later."),
        LoginFailureReason.KeyExpired => new(reason, "This key has expired."),
        _ => new(LoginFailureReason.ServiceUnavailable, "Authentication is unavailable; try again later."),
    };

    public static AuthenticationRefused Malformed(string method, string problem) =>
        new(method == SignInService.PublicKeyMethod ? LoginFailureReason.UnknownKey : method == SignInService.PasswordMethod
            ? LoginFailureReason.WrongPassword : LoginFailureReason.WrongMfaCode, "Malformed request: " + problem);

    public static AuthenticationRefused Unavailable { get; } =
        new(LoginFailureReason.ServiceUnavailable, "Authentication is unavailable; try again later.");
}
