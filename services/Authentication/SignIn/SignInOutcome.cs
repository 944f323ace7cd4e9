using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;

namespace Gatehouse.Authentication.SignIn;

/// <summary>What one authentication step decided. <see cref="Failure"/> is the precise reason, for events only.</summary>
public sealed record SignInOutcome(UserAccount? User, LoginFailureReason? Failure, bool MfaRequired)
{
    public bool Accepted => Failure is null;

    public static SignInOutcome Refused(LoginFailureReason reason) => new(null, reason, false);
}
