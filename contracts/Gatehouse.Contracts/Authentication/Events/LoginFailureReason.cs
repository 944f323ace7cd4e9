namespace Gatehouse.Contracts;

public enum LoginFailureReason
{
    UnknownUser,
    UnknownKey,
    WrongPassword,
    WrongMfaCode,
    MfaCodeReused,
    AccountDisabled,
    AccountLocked,
    KeyExpired,
    TooManyAttempts,
    ServiceUnavailable,

    /// <summary>A password was tried for an account that has none (it signs in with keys only).</summary>
    PasswordNotSet,

    /// <summary>The gateway refused a user certificate (untrusted CA, revoked, expired, wrong principal, ...) before any account was asked.</summary>
    CertificateRefused,
}
