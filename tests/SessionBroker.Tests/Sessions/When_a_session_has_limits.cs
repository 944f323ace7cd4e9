using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Sessions;

namespace Gatehouse.SessionBroker.Tests.Sessions;

public class When_a_session_has_limits
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Should_end_at_the_gateways_maximum_length_when_the_grant_sets_none()
    {
        var deadline = SessionDeadline.For(Start, TimeSpan.FromHours(12), null, null);

        Assert.Equal((Start.AddHours(12), SessionEndReason.MaxLength), (deadline.At, deadline.EndReason));
        Assert.Equal("gatehouse: this session reached its maximum length of 12 h at 2026-12-04 21:00:00Z and was closed; connect again to go on",
            deadline.Message("web01"));
    }

    [Fact]
    public void Should_end_at_the_grants_shorter_maximum_length()
    {
        var deadline = SessionDeadline.For(Start, TimeSpan.FromHours(12), TimeSpan.FromMinutes(90), Start.AddHours(3));

        Assert.Equal((Start.AddMinutes(90), SessionEndReason.MaxLength), (deadline.At, deadline.EndReason));
        Assert.Contains("maximum length of 1 h 30 min", deadline.Message("web01"));
    }

    [Fact]
    public void Should_end_when_the_grant_expires_first_and_say_that_it_expired()
    {
        var deadline = SessionDeadline.For(Start, TimeSpan.FromHours(12), TimeSpan.FromHours(2), Start.AddMinutes(30));

        Assert.Equal((Start.AddMinutes(30), SessionEndReason.GrantExpired), (deadline.At, deadline.EndReason));
        Assert.Equal("gatehouse: your grant for web01 expired at 2026-12-04 09:30:00Z, so this session was closed; ask for a new grant to connect again",
            deadline.Message("web01"));
    }

    [Theory]
    [InlineData(2, "2 s")]
    [InlineData(900, "15 min")]
    [InlineData(43200, "12 h")]
    [InlineData(93784, "26 h 3 min 4 s")]
    public void Should_describe_a_length_as_an_operator_writes_it(int seconds, string expected) =>
        Assert.Equal(expected, SessionDeadline.Describe(TimeSpan.FromSeconds(seconds)));
}
