namespace Gatehouse.SessionBroker.Sessions.WithdrawingAccess;

/// <summary>
/// What a live connection or session relies on: who signed in, with which key (null for a password), on which target,
/// under which grant (null for a connection, whose sessions each have their own decision).
/// </summary>
public sealed record ReliedAccess(string UserName, string? KeyFingerprint, string Target, Guid? GrantId);

/// <summary>A change made elsewhere (Authentication, Authorization) that may withdraw access from live sessions.</summary>
public abstract record AccessChange;

/// <summary>The user was disabled or deleted; <paramref name="Why"/> is "user disabled" or "user deleted".</summary>
public sealed record UserWithdrawn(string UserName, string Why) : AccessChange;

/// <summary>One of the user's keys was removed; <paramref name="Fingerprint"/> as Authentication writes it (SHA256:...).</summary>
public sealed record KeyWithdrawn(string UserName, string Fingerprint) : AccessChange;

public sealed record GrantWithdrawn(Guid GrantId) : AccessChange;

public sealed record TargetWithdrawn(string Target) : AccessChange;

/// <summary>
/// The user's API roles or access role memberships changed: that may or may not remove access, so Authorization is asked again.
/// <paramref name="ApiRoles"/> are the user's API roles from now on when the change says (Authentication's), else null.
/// </summary>
public sealed record MembershipChanged(string UserName, IReadOnlyList<string>? ApiRoles, DateTimeOffset At, string Why) : AccessChange;

public enum WithdrawalAction
{
    Unaffected,

    /// <summary>End it now: what it relies on is gone.</summary>
    End,

    /// <summary>Ask Authorization again and end it when refused.</summary>
    Recheck,
}

/// <summary>What a change means for one live connection or session; <see cref="Reason"/> is what the user and the record are told.</summary>
public sealed record Withdrawal(WithdrawalAction Action, string Reason)
{
    public static readonly Withdrawal Unaffected = new(WithdrawalAction.Unaffected, "");
}

/// <summary>Which live connections and sessions a change of access reaches, and how.</summary>
public static class AccessWithdrawals
{
    public static Withdrawal For(ReliedAccess access, AccessChange change) => change switch
    {
        UserWithdrawn user when Same(user.UserName, access.UserName) => new(WithdrawalAction.End, user.Why),
        // Fingerprints are base64: case matters.
        KeyWithdrawn key when Same(key.UserName, access.UserName) && string.Equals(key.Fingerprint, access.KeyFingerprint, StringComparison.Ordinal) =>
            new(WithdrawalAction.End, $"key {key.Fingerprint} removed"),
        GrantWithdrawn grant when access.GrantId == grant.GrantId => new(WithdrawalAction.End, $"grant {grant.GrantId} revoked"),
        TargetWithdrawn target when Same(target.Target, access.Target) => new(WithdrawalAction.End, $"target {target.Target} removed"),
        MembershipChanged membership when Same(membership.UserName, access.UserName) => new(WithdrawalAction.Recheck, membership.Why),
        _ => Withdrawal.Unaffected,
    };

    /// <summary>The first change of <paramref name="changes"/> (in order) that reaches <paramref name="access"/>, ending before re-checking.</summary>
    public static Withdrawal For(ReliedAccess access, IEnumerable<AccessChange> changes)
    {
        var verdicts = changes.Select(change => For(access, change)).Where(w => w.Action != WithdrawalAction.Unaffected).ToList();
        return verdicts.FirstOrDefault(w => w.Action == WithdrawalAction.End) ?? verdicts.FirstOrDefault() ?? Withdrawal.Unaffected;
    }

    // User and target names are compared as Authentication and Authorization compare them: case does not make another one.
    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
