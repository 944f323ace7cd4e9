using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Sessions.Forwarding;
using Gatehouse.SessionBroker.Targets;

namespace Gatehouse.SessionBroker.Tests.Sessions.Forwarding;

public sealed class When_a_forward_is_judged_by_its_grant
{
    private static AccessDecision Allowed(bool forwarding, params string[] destinations) => new(
        new AccessAllowed(Guid.NewGuid(), "alice", "web01", "127.0.0.1", 22, null, "deploy", Guid.NewGuid(), null, null, forwarding, destinations),
        default, "");

    [Fact]
    public void Should_allow_a_listed_destination_under_a_grant_allowing_forwarding()
    {
        var verdict = ForwardingRules.Decide(Allowed(true, "db-*.internal:5432"), "db-1.internal", 5432);

        Assert.NotNull(verdict.Allowed);
    }

    [Fact]
    public void Should_refuse_a_destination_the_grant_does_not_list_without_naming_what_it_lists()
    {
        var verdict = ForwardingRules.Decide(Allowed(true, "db-*.internal:5432"), "10.0.0.9", 22);

        Assert.Equal((null, ForwardingRefusalReason.DestinationNotListed), (verdict.Allowed, verdict.Reason));
        Assert.Equal("gatehouse: port forwarding to 10.0.0.9:22 is refused: it is not a destination your grant for deploy@web01 lists", verdict.Message);
        Assert.DoesNotContain("db-", verdict.Message);
    }

    [Fact]
    public void Should_not_count_destinations_when_the_grant_does_not_allow_forwarding()
    {
        var verdict = ForwardingRules.Decide(Allowed(false, "127.0.0.1:5432"), "127.0.0.1", 5432);

        Assert.Equal(ForwardingRefusalReason.NotAllowedByGrant, verdict.Reason);
        Assert.Contains("does not allow port forwarding", verdict.Message);
    }

    [Fact]
    public void Should_allow_no_destination_under_a_grant_allowing_forwarding_without_destinations()
    {
        // Decisions from before destinations existed carry none.
        var old = new AccessDecision(new AccessAllowed(Guid.NewGuid(), "alice", "web01", "127.0.0.1", 22, null, "deploy", Guid.NewGuid(), null, null, true),
            default, "");

        Assert.Equal(ForwardingRefusalReason.DestinationNotListed, ForwardingRules.Decide(old, "127.0.0.1", 5432).Reason);
        Assert.Equal(ForwardingRefusalReason.DestinationNotListed, ForwardingRules.Decide(Allowed(true), "127.0.0.1", 5432).Reason);
    }

    [Fact]
    public void Should_refuse_the_forward_of_a_refused_access_with_its_own_message()
    {
        var refused = new AccessDecision(null, SessionRefusalReason.AccessRefused, "gatehouse: access to web01 as deploy is refused: no grant");

        var verdict = ForwardingRules.Decide(refused, "127.0.0.1", 5432);

        Assert.Equal((ForwardingRefusalReason.AccessRefused, refused.Message), (verdict.Reason, verdict.Message));
    }

    [Theory]
    [InlineData("db\n.internal", 5432u, "db?.internal:5432")]
    [InlineData("::1", 22u, "[::1]:22")]
    [InlineData("\u001b[31mred", 80u, "?[31mred:80")]
    public void The_destination_is_shown_without_control_characters(string host, uint port, string shown) =>
        Assert.Equal(shown, ForwardingRules.Shown(host, port));

    [Fact]
    public void Should_find_in_this_SSH_NET_build_the_direct_tcpip_channel_and_window_the_tunnel_binds_to() => Assert.Null(TargetTunnel.Unavailable);
}
