using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Sessions;

namespace Gatehouse.SessionBroker.Tests.Sessions;

public sealed class When_a_session_reaches_a_limit
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(15);
    private static readonly SessionDeadline TwelveHours = SessionDeadline.For(Start, TimeSpan.FromHours(12), null, null);

    [Fact]
    public void Should_go_on_while_active_and_within_its_length()
    {
        Assert.Null(SessionLimits.Reached(Start.AddHours(2), Start.AddHours(2).AddMinutes(-1), inputHeld: false, TwelveHours, Idle, "web01"));
    }

    [Fact]
    public void Should_end_an_idle_session_and_say_for_how_long_it_was_idle()
    {
        var reached = SessionLimits.Reached(Start.AddMinutes(15), Start, inputHeld: false, TwelveHours, Idle, "web01");

        Assert.Equal(SessionEndReason.IdleTimeout, reached?.Reason);
        Assert.Contains("idle for 00:15:00", reached!.Message);
    }

    [Fact]
    public void Should_end_at_its_maximum_length_even_when_active()
    {
        var reached = SessionLimits.Reached(Start.AddHours(12), Start.AddHours(12), inputHeld: false, TwelveHours, Idle, "web01");

        Assert.Equal(SessionEndReason.MaxLength, reached?.Reason);
    }

    [Fact]
    public void Should_name_the_grants_expiry_when_that_comes_first_even_when_also_idle()
    {
        var deadline = SessionDeadline.For(Start, TimeSpan.FromHours(12), null, Start.AddMinutes(30));

        var reached = SessionLimits.Reached(Start.AddMinutes(30), Start, inputHeld: false, deadline, Idle, "web01");

        Assert.Equal(SessionEndReason.GrantExpired, reached?.Reason);
        Assert.Contains("your grant for web01 expired", reached!.Message);
    }

    [Fact]
    public void Should_follow_the_grant_it_goes_on_under_and_count_activity_from_the_clock()
    {
        var clock = new ManualClock(Start);
        var limits = new SessionLimits(Start, Idle, TimeSpan.FromHours(12), clock);
        limits.Allow(Grant(TimeSpan.FromHours(1)));
        Assert.Equal(Start.AddHours(1), limits.Deadline!.At);

        limits.Allow(Grant(TimeSpan.FromHours(2)));
        clock.Set(Start.AddMinutes(20));
        limits.Touch();

        Assert.Equal((Start.AddHours(2), Start.AddMinutes(20)), (limits.Deadline!.At, limits.LastActivity));
    }

    [Fact]
    public async Task Should_end_the_session_through_its_watch_once_the_clock_passes_the_deadline()
    {
        var clock = new ManualClock(Start);
        var limits = new SessionLimits(Start, Idle, TimeSpan.FromHours(12), clock);
        limits.Allow(Grant(TimeSpan.FromHours(1)));
        using var ending = new SessionEnding();
        var watching = limits.WatchAsync("web01", ending);
        await Task.Delay(SessionLimits.WatchInterval * 2);
        Assert.False(ending.HasEnded);

        clock.Set(Start.AddHours(1));

        await watching.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(SessionEndReason.MaxLength, ending.Reason);
        Assert.Contains("maximum length of 1 h", ending.Message);
    }

    [Fact]
    public void Should_not_call_a_session_idle_while_the_gate_holds_its_input()
    {
        Assert.Null(SessionLimits.Reached(Start.AddMinutes(30), Start, inputHeld: true, TwelveHours, Idle, "web01"));
        Assert.Equal(SessionEndReason.MaxLength, SessionLimits.Reached(Start.AddHours(12), Start, inputHeld: true, TwelveHours, Idle, "web01")?.Reason);
    }

    [Fact]
    public void Should_count_the_gate_passing_held_input_on_as_activity()
    {
        var clock = new ManualClock(Start);
        var limits = new SessionLimits(Start, Idle, TimeSpan.FromHours(12), clock);
        limits.InputHeld();

        clock.Set(Start.AddMinutes(20));
        limits.InputPassed();

        Assert.Equal(Start.AddMinutes(20), limits.LastActivity);
    }

    private static AccessAllowed Grant(TimeSpan maximum) =>
        new(Guid.NewGuid(), "alice", "web01", "10.0.0.5", 22, null, "deploy", Guid.NewGuid(), maximum, null, false);
}
