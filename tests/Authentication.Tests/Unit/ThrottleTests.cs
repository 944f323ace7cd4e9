using Gatehouse.Authentication.Lockout;

namespace Gatehouse.Authentication.Tests.Unit;

public class ThrottleTests
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
}
