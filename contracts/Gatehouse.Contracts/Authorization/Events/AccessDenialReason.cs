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

    /// <summary>The login exists on the target, but the user's grants do not allow it.</summary>
    LoginNotAllowed,
}
