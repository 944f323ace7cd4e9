using Gatehouse.Contracts;
using Gatehouse.Authentication.Lockout;

namespace Gatehouse.Authentication.Tests.Lockout;

public class When_a_throttle_counts_failures
{
    private static readonly LockoutSettings Policy = new()
    {
        Window = TimeSpan.FromMinutes(15),
        FirstLockout = TimeSpan.FromMinutes(1),
        MaxLockout = TimeSpan.FromMinutes(10),
    };

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Should_lock_on_the_configured_failure_and_not_before()
    {
        var state = ThrottleState.Clear;
        for (var i = 1; i < 3; i++)
        {
            var outcome = Throttle.RecordFailure(state, Start.AddSeconds(i), 3, Policy);
            Assert.Null(outcome.LockedUntil);
            state = outcome.State;
        }

        var third = Throttle.RecordFailure(state, Start.AddSeconds(3), 3, Policy);
        Assert.Equal(Start.AddSeconds(3).AddMinutes(1), third.LockedUntil);
        Assert.True(Throttle.IsLocked(third.State, Start.AddSeconds(4)));
        Assert.False(Throttle.IsLocked(third.State, Start.AddSeconds(3).AddMinutes(1)));
    }

    [Fact]
    public void Should_forget_failures_that_slid_out_of_the_window()
    {
        var state = Throttle.RecordFailure(ThrottleState.Clear, Start, 2, Policy).State;
        var later = Throttle.RecordFailure(state, Start + Policy.Window + TimeSpan.FromSeconds(1), 2, Policy);
        Assert.Null(later.LockedUntil);
        Assert.Equal(1, later.RecentFailures);
    }

    [Fact]
    public void Should_double_each_lockout_up_to_the_maximum()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), Throttle.LockoutLength(0, Policy));
        Assert.Equal(TimeSpan.FromMinutes(2), Throttle.LockoutLength(1, Policy));
        Assert.Equal(TimeSpan.FromMinutes(8), Throttle.LockoutLength(3, Policy));
        Assert.Equal(TimeSpan.FromMinutes(10), Throttle.LockoutLength(4, Policy));
        Assert.Equal(TimeSpan.FromMinutes(10), Throttle.LockoutLength(500, Policy));
    }

    [Fact]
    public void Should_lock_longer_the_second_time()
    {
        var first = Throttle.RecordFailure(ThrottleState.Clear, Start, 1, Policy);
        var second = Throttle.RecordFailure(first.State, first.LockedUntil!.Value, 1, Policy);
        Assert.Equal(TimeSpan.FromMinutes(2), second.LockedUntil - first.LockedUntil);
    }

    [Fact]
    public void Should_cap_the_locks_of_one_day_and_lock_again_once_a_day_has_passed()
    {
        var cap = TimeSpan.FromMinutes(3);
        var first = Throttle.RecordFailure(ThrottleState.Clear, Start, 1, Policy, cap);
        var second = Throttle.RecordFailure(first.State, first.LockedUntil!.Value, 1, Policy, cap);
        var third = Throttle.RecordFailure(second.State, second.LockedUntil!.Value, 1, Policy, cap);
        var nextDay = Throttle.RecordFailure(third.State, Start + Throttle.Day + TimeSpan.FromMinutes(5), 1, Policy, cap);

        Assert.Equal(TimeSpan.FromMinutes(1), first.LockedUntil - Start);
        Assert.Equal(TimeSpan.FromMinutes(2), second.LockedUntil - first.LockedUntil);
        Assert.Null(third.LockedUntil);
        Assert.False(Throttle.IsLocked(third.State, second.LockedUntil!.Value));
        Assert.NotNull(nextDay.LockedUntil);
    }

    [Fact]
    public void Should_keep_the_days_locks_through_an_unlock_so_an_unlock_does_not_renew_the_cap()
    {
        var cap = TimeSpan.FromMinutes(3);
        var locked = Throttle.RecordFailure(ThrottleState.Clear, Start, 1, Policy, cap);
        var unlocked = Throttle.Cleared(locked.State, Start.AddSeconds(30));
        var relocked = Throttle.RecordFailure(unlocked, Start.AddMinutes(1), 1, Policy, cap);

        Assert.False(Throttle.IsLocked(unlocked, Start.AddSeconds(31)));
        Assert.Equal(TimeSpan.FromSeconds(30), Throttle.LockedWithinDay(unlocked.RecentLocks, Start.AddMinutes(1)));
        // Cleared: the doubling starts again at one minute, within the 2.5 minutes left of the day's cap.
        Assert.Equal(TimeSpan.FromMinutes(1), relocked.LockedUntil - Start.AddMinutes(1));
    }
}
