namespace Gatehouse.Authentication.Lockout;

/// <summary>Recent failures of one user name or one source address, and the lockout they led to.</summary>
/// <param name="Lockouts">Lockouts since the last success or unlock; each one lasts twice as long as the one before.</param>
public sealed record ThrottleState(IReadOnlyList<DateTimeOffset> RecentFailures, DateTimeOffset? LockedUntil, int Lockouts)
{
    public static ThrottleState Clear { get; } = new([], null, 0);

    public bool IsClear => RecentFailures.Count == 0 && LockedUntil is null && Lockouts == 0;
}

/// <summary>What a failure did to a throttle: its new state, and the lockout it started, if it started one.</summary>
public sealed record FailureOutcome(ThrottleState State, DateTimeOffset? LockedUntil, int RecentFailures);

/// <summary>Sliding-window failure counting with growing lockouts: pure functions, the time passed in.</summary>
public static class Throttle
{
    public static bool IsLocked(ThrottleState state, DateTimeOffset now) => state.LockedUntil > now;

    public static FailureOutcome RecordFailure(ThrottleState state, DateTimeOffset now, int maxFailures, LockoutSettings policy)
    {
        var recent = state.RecentFailures.Where(f => f > now - policy.Window).Append(now).TakeLast(maxFailures).ToArray();
        if (recent.Length < maxFailures)
        {
            return new FailureOutcome(state with { RecentFailures = recent }, null, recent.Length);
        }

        var until = now + LockoutLength(state.Lockouts, policy);
        return new FailureOutcome(new ThrottleState([], until, state.Lockouts + 1), until, recent.Length);
    }

    /// <summary>The first lockout lasts <see cref="LockoutSettings.FirstLockout"/>, each following one twice as long, up to the maximum.</summary>
    public static TimeSpan LockoutLength(int earlierLockouts, LockoutSettings policy)
    {
        var factor = Math.Pow(2, Math.Min(earlierLockouts, 30));
        return TimeSpan.FromTicks((long)Math.Min(policy.FirstLockout.Ticks * factor, policy.MaxLockout.Ticks));
    }
}
