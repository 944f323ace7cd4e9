using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Sessions;
using Gatehouse.SessionBroker.Sessions.Forwarding;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.SessionBroker.Tests.Sessions.Forwarding;

/// <summary>
/// A forward ends at its grant's expiry or its maximum length, both wall-clock times, by a timer that counts on another
/// clock: it must never end before the wall clock reads its deadline (the closing event would say it ended early).
/// </summary>
public sealed class When_a_forward_reaches_its_deadline
{
    private static readonly DateTimeOffset OpenedAt = new(2026, 12, 5, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Should_not_end_when_its_timer_fires_before_the_wall_clock_reads_the_deadline()
    {
        var clock = new WallClockBehindTimers(OpenedAt);
        using var forward = Forward(clock, maxLength: TimeSpan.FromSeconds(3), grantExpiresAt: null);

        clock.Behind = TimeSpan.FromMilliseconds(1);
        clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Null(forward.EndedBy);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(ForwardingEndReason.MaxLength, forward.EndedBy?.Reason);
        Assert.True(forward.Ended.IsCancellationRequested);
    }

    [Fact]
    public void Should_end_at_its_grants_expiry_when_that_comes_first()
    {
        var clock = new WallClockBehindTimers(OpenedAt);
        using var forward = Forward(clock, maxLength: TimeSpan.FromHours(1), grantExpiresAt: OpenedAt.AddSeconds(10));

        clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.Null(forward.EndedBy);

        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(ForwardingEndReason.GrantExpired, forward.EndedBy?.Reason);
    }

    [Fact]
    public void Should_end_at_once_when_the_deadline_passed_before_it_opened()
    {
        var clock = new WallClockBehindTimers(OpenedAt.AddSeconds(5));

        using var forward = Forward(clock, maxLength: TimeSpan.FromHours(1), grantExpiresAt: OpenedAt.AddSeconds(1));

        Assert.Equal(ForwardingEndReason.GrantExpired, forward.EndedBy?.Reason);
    }

    [Fact]
    public void Should_call_back_once_and_never_after_it_is_disposed()
    {
        var clock = new WallClockBehindTimers(OpenedAt);
        var calls = 0;
        var timer = new DeadlineTimer(OpenedAt.AddSeconds(1), clock, () => calls++);
        var disposed = new DeadlineTimer(OpenedAt.AddSeconds(1), clock, () => calls += 100);
        disposed.Dispose();

        clock.Advance(TimeSpan.FromSeconds(5));
        clock.Advance(TimeSpan.FromSeconds(5));
        timer.Dispose();

        Assert.Equal(1, calls);
    }

    [Theory]
    [InlineData(0.3, 1)]
    [InlineData(2999.2, 3000)]
    [InlineData(3000, 3000)]
    [InlineData(0, 0)]
    [InlineData(-5, 0)]
    public void Should_wait_whole_milliseconds_rounded_up_as_a_timer_counts(double leftMs, double waitMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(waitMs), DeadlineTimer.Wait(OpenedAt.AddMilliseconds(leftMs), OpenedAt));

    [Fact]
    public void Should_arm_a_timer_for_at_most_a_day_and_wait_again_for_a_farther_deadline() =>
        Assert.Equal(TimeSpan.FromDays(1), DeadlineTimer.Wait(OpenedAt.AddDays(90), OpenedAt));

    private static OpenForward Forward(TimeProvider clock, TimeSpan maxLength, DateTimeOffset? grantExpiresAt)
    {
        var grant = Guid.NewGuid();
        var opened = new ForwardingOpened(Guid.NewGuid(), "alice", "web01", "deploy", ForwardingKind.Local, "127.0.0.1", 5432, "127.0.0.1",
            40000, grant, "alice", "10.1.2.3", Guid.NewGuid().ToString(), Guid.NewGuid(), OpenedAt);
        var access = new AccessAllowed(Guid.NewGuid(), "alice", "web01", "127.0.0.1", 22, null, "deploy", grant, maxLength, grantExpiresAt, true,
            ["127.0.0.1:5432"]);
        // The connection is asked only when access is checked again, which no test here does.
        return new OpenForward(opened, "127.0.0.1", 5432, access, connection: null!, gatewayMaximum: TimeSpan.FromHours(12), clock);
    }

    /// <summary>
    /// Timers count on the fake's own time; the wall clock can be made to read behind them, as the system's wall clock
    /// reads behind a monotonic timer that fired a millisecond early.
    /// </summary>
    private sealed class WallClockBehindTimers(DateTimeOffset start) : FakeTimeProvider(start)
    {
        public TimeSpan Behind { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() - Behind;
    }
}
