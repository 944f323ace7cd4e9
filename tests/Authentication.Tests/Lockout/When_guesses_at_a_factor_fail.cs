using Gatehouse.Contracts;
using Gatehouse.Authentication.Lockout;

namespace Gatehouse.Authentication.Tests.Lockout;

public class When_guesses_at_a_factor_fail
{
    private static readonly LockoutSettings Defaults = new();
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly FactorThrottles Clear = new(ThrottleState.Clear, ThrottleState.Clear, ThrottleState.Clear);

    private static (FactorThrottles State, List<GuessFailure> Failures) Fail(FactorThrottles state, GuessableFactor factor, int times,
        LockoutSettings policy, bool countAgainstUser = true)
    {
        var failures = new List<GuessFailure>();
        for (var i = 0; i < times; i++)
        {
            var failure = GuessThrottle.RecordFailure(state, factor, Start.AddSeconds(i), policy, countAgainstUser);
            failures.Add(failure);
            state = failure.State;
        }

        return (state, failures);
    }

    [Fact]
    public void Should_block_the_user_at_the_address_after_five_password_failures_by_default()
    {
        var (state, failures) = Fail(Clear, GuessableFactor.Password, 5, Defaults);

        Assert.All(failures.Take(4), f => Assert.Null(f.UserAtSource.LockedUntil));
        Assert.Equal(Start.AddSeconds(4).AddMinutes(1), failures[4].UserAtSource.LockedUntil);
        Assert.Equal(LoginFailureReason.TooManyAttempts, GuessThrottle.Refusal(state, GuessableFactor.Password, Start.AddSeconds(5), Defaults));
        // The address's own count (20 by default) and the account are untouched.
        Assert.Null(failures[4].Source.LockedUntil);
        Assert.Null(failures[4].Account);
    }

    [Fact]
    public void Should_never_lock_an_account_for_password_failures_unless_the_policy_says_so()
    {
        // The same user name from a fresh address each time: only the account throttle would see them all.
        var state = Clear;
        for (var i = 0; i < 100; i++)
        {
            state = GuessThrottle.RecordFailure(state with { Source = ThrottleState.Clear, UserAtSource = ThrottleState.Clear },
                GuessableFactor.Password, Start.AddSeconds(i), Defaults, countAgainstUser: true).State;
        }

        Assert.Null(GuessThrottle.AccountLimit(GuessableFactor.Password, Defaults));
        Assert.Null(GuessThrottle.Refusal(state with { Source = ThrottleState.Clear, UserAtSource = ThrottleState.Clear },
            GuessableFactor.Password, Start.AddMinutes(2), Defaults));
    }

    [Fact]
    public void Should_lock_the_account_at_the_policys_count_and_refuse_it_as_locked()
    {
        var policy = new LockoutSettings { AccountLockAfterFailures = 3, MaxFailuresPerUserAndSource = 100 };

        var (state, failures) = Fail(Clear, GuessableFactor.Password, 3, policy);

        Assert.Equal(Start.AddSeconds(2).AddMinutes(1), failures[2].Account!.LockedUntil);
        Assert.Equal(LoginFailureReason.AccountLocked, GuessThrottle.Refusal(state, GuessableFactor.Password, Start.AddSeconds(3), policy));
        Assert.Null(GuessThrottle.Refusal(state, GuessableFactor.Password, Start.AddSeconds(3), new LockoutSettings()));
    }

    [Fact]
    public void Should_block_the_address_for_every_user_name_after_its_limit()
    {
        var policy = new LockoutSettings { MaxFailuresPerSource = 4 };
        var state = Clear;
        GuessFailure last = null!;
        for (var i = 0; i < 4; i++)
        {
            // A different user name each time: a fresh user-at-source throttle, the same address throttle.
            last = GuessThrottle.RecordFailure(state with { UserAtSource = ThrottleState.Clear }, GuessableFactor.Password,
                Start.AddSeconds(i), policy, countAgainstUser: true);
            state = last.State;
        }

        Assert.NotNull(last.Source.LockedUntil);
        Assert.Equal(LoginFailureReason.TooManyAttempts,
            GuessThrottle.Refusal(state with { UserAtSource = ThrottleState.Clear }, GuessableFactor.Password, Start.AddSeconds(5), policy));
    }

    [Fact]
    public void Should_always_lock_a_second_factor_that_keeps_failing_past_a_right_first_factor()
    {
        var (state, failures) = Fail(Clear, GuessableFactor.SecondFactor, 5, Defaults);

        Assert.NotNull(failures[4].Account!.LockedUntil);
        Assert.Equal(LoginFailureReason.TooManyAttempts, GuessThrottle.Refusal(state, GuessableFactor.SecondFactor, Start.AddSeconds(5), Defaults));
        Assert.Equal(LoginFailureReason.AccountLocked,
            GuessThrottle.Refusal(state with { UserAtSource = ThrottleState.Clear }, GuessableFactor.SecondFactor, Start.AddSeconds(5), Defaults));
    }

    [Fact]
    public void Should_count_a_guess_that_reached_no_users_factor_against_the_address_only()
    {
        var (state, _) = Fail(Clear, GuessableFactor.SecondFactor, 10, Defaults, countAgainstUser: false);

        Assert.True(state.UserAtSource.IsClear);
        Assert.True(state.Account.IsClear);
        Assert.Equal(10, state.Source.RecentFailures.Count);
    }
}
