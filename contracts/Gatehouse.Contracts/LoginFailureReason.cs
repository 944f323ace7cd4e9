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
}
