using Gatehouse.Contracts;

namespace Gatehouse.Authentication.Lockout;

/// <summary>One lock, from when it began to when it ended (or will end).</summary>
public sealed record LockPeriod(DateTimeOffset From, DateTimeOffset Until);

/// <summary>Recent failures in one throttle's scope, and the lock they led to.</summary>
/// <param name="Lockouts">Locks since the last success or unlock; each one lasts twice as long as the one before.</param>
public sealed record ThrottleState(IReadOnlyList<DateTimeOffset> RecentFailures, DateTimeOffset? LockedUntil, int Lockouts)
{
    public static ThrottleState Clear { get; } = new([], null, 0);

    /// <summary>
    /// The locks of the last day. Kept through successes and unlocks, because they bound how long failures can keep one
    /// account locked in a day (<see cref="LockoutSettings.MaxAccountLockPerDay"/>).
    /// </summary>
    public IReadOnlyList<LockPeriod> RecentLocks { get; init; } = [];

    public bool IsClear => RecentFailures.Count == 0 && LockedUntil is null && Lockouts == 0;
}

/// <summary>What a failure did to a throttle: its new state, and the lock it started, if it started one.</summary>
public sealed record FailureOutcome(ThrottleState State, DateTimeOffset? LockedUntil, int RecentFailures);

/// <summary>Sliding-window failure counting with growing locks: pure functions, the time passed in.</summary>
public static class Throttle
{
    public static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public static bool IsLocked(ThrottleState state, DateTimeOffset now) => state.LockedUntil > now;

    /// <summary>
    /// Counts a failure; the <paramref name="maxFailures"/>th within the window locks. With <paramref name="maxLockedPerDay"/>,
    /// the locks of any one day add up to at most that much: past it, failures are still counted but lock no more.
    /// </summary>
    public static FailureOutcome RecordFailure(ThrottleState state, DateTimeOffset now, int maxFailures, LockoutSettings policy,
        TimeSpan? maxLockedPerDay = null)
    {
        var recent = state.RecentFailures.Where(f => f > now - policy.Window).Append(now).TakeLast(maxFailures).ToArray();
        var recentLocks = state.RecentLocks.Where(l => l.Until > now - Day).ToArray();
        var length = LockoutLength(state.Lockouts, policy);
        if (maxLockedPerDay is { } cap)
        {
            length = TimeSpan.FromTicks(Math.Min(length.Ticks, (cap - LockedWithinDay(recentLocks, now)).Ticks));
        }

        if (recent.Length < maxFailures || length <= TimeSpan.Zero)
        {
            return new FailureOutcome(state with { RecentFailures = recent, RecentLocks = recentLocks }, null, recent.Length);
        }

        var until = now + length;
        return new FailureOutcome(new ThrottleState([], until, state.Lockouts + 1) { RecentLocks = [.. recentLocks, new LockPeriod(now, until)] },
            until, recent.Length);
    }

    /// <summary>A success or an unlock: failures forgotten, a running lock ended now; the day's locks stay on record.</summary>
    public static ThrottleState Cleared(ThrottleState state, DateTimeOffset now) => ThrottleState.Clear with
    {
        RecentLocks = state.RecentLocks.Where(l => l.Until > now - Day)
            .Select(l => l.Until > now ? l with { Until = l.From > now ? l.From : now } : l).ToArray(),
    };

    /// <summary>The first lock lasts <see cref="LockoutSettings.FirstLockout"/>, each following one twice as long, up to the maximum.</summary>
    public static TimeSpan LockoutLength(int earlierLockouts, LockoutSettings policy)
    {
        var factor = Math.Pow(2, Math.Min(earlierLockouts, 30));
        return TimeSpan.FromTicks((long)Math.Min(policy.FirstLockout.Ticks * factor, policy.MaxLockout.Ticks));
    }

    /// <summary>How much of the day before <paramref name="now"/> the periods cover (they never overlap: a lock is not renewed while it runs).</summary>
    public static TimeSpan LockedWithinDay(IEnumerable<LockPeriod> periods, DateTimeOffset now) =>
        periods.Aggregate(TimeSpan.Zero, (sum, l) =>
            sum + ((l.Until < now ? l.Until : now) - (l.From > now - Day ? l.From : now - Day)) switch
            {
                var part when part > TimeSpan.Zero => part,
                _ => TimeSpan.Zero,
            });
}

/// <summary>The three throttles one guess at a factor counts against.</summary>
public sealed record FactorThrottles(ThrottleState Source, ThrottleState UserAtSource, ThrottleState Account);

/// <summary>What one failed guess did to each throttle; a lock time is set only where this failure started a lock.</summary>
public sealed record GuessFailure(FactorThrottles State, FailureOutcome Source, FailureOutcome UserAtSource, FailureOutcome? Account);

/// <summary>
/// Who is slowed down by failed guesses (issue #15): the guessing address, and the user name at that address, with
/// growing blocks; the account itself only by policy, and never for more than <see cref="LockoutSettings.MaxAccountLockPerDay"/>
/// a day. Each factor has throttles of its own, so guessing passwords never stops a key or a second factor.
/// </summary>
public static class GuessThrottle
{
    /// <summary>Why a guess at this factor is refused before it is checked, or null to check it.</summary>
    public static LoginFailureReason? Refusal(FactorThrottles throttles, GuessableFactor factor, DateTimeOffset now, LockoutSettings policy) =>
        Throttle.IsLocked(throttles.Source, now) || Throttle.IsLocked(throttles.UserAtSource, now) ? LoginFailureReason.TooManyAttempts
        : AccountLimit(factor, policy) is not null && Throttle.IsLocked(throttles.Account, now) ? LoginFailureReason.AccountLocked
        : null;

    /// <summary>
    /// Failures of this factor, across addresses, that lock it for the account; null when nothing does. Passwords lock an
    /// account only when <see cref="LockoutSettings.AccountLockAfterFailures"/> says so. A second factor is reached only
    /// past the first, so a stranger cannot cause its failures: they lock always.
    /// </summary>
    public static int? AccountLimit(GuessableFactor factor, LockoutSettings policy) => factor switch
    {
        GuessableFactor.Password => policy.AccountLockAfterFailures > 0 ? policy.AccountLockAfterFailures : null,
        _ => policy.MaxSecondFactorFailuresPerUser,
    };

    /// <param name="countAgainstUser">False for a guess that never reached a user's factor (a code with no first factor before it).</param>
    public static GuessFailure RecordFailure(FactorThrottles throttles, GuessableFactor factor, DateTimeOffset now, LockoutSettings policy,
        bool countAgainstUser)
    {
        var source = Throttle.RecordFailure(throttles.Source, now, policy.MaxFailuresPerSource, policy);
        var userAtSource = countAgainstUser
            ? Throttle.RecordFailure(throttles.UserAtSource, now, policy.MaxFailuresPerUserAndSource, policy)
            : new FailureOutcome(throttles.UserAtSource, null, throttles.UserAtSource.RecentFailures.Count);
        var account = countAgainstUser && AccountLimit(factor, policy) is { } limit
            ? Throttle.RecordFailure(throttles.Account, now, limit, policy, policy.MaxAccountLockPerDay)
            : null;
        return new GuessFailure(new FactorThrottles(source.State, userAtSource.State, account?.State ?? throttles.Account),
            source, userAtSource, account);
    }
}
