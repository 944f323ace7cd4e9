namespace Gatehouse.Contracts;

public enum AccessDenialReason
{
    NoMatchingGrant,
    UnknownTarget,
    UnknownLogin,
    OutsideTimeWindow,
    GrantExpired,
    GrantRevoked,
    SourceNotAllowed,
    UserDisabled,
    MfaRequired,
    DecisionUnavailable,
}
