using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Gateway;
using Gatehouse.SessionBroker.Sessions.Forwarding;
using Gatehouse.SessionBroker.Targets;

namespace Gatehouse.SessionBroker.Tests.Sessions.Forwarding;

/// <summary>ssh -R: whether the target may listen for the client, decided from the grant alone.</summary>
public sealed class When_a_remote_forward_is_decided
{
    private static AccessDecision Allowed(bool forwarding, params string[] listenPorts) => new(
        new AccessAllowed(Guid.NewGuid(), "alice", "web01", "127.0.0.1", 22, null, "deploy", Guid.NewGuid(), null, null, forwarding,
            ["127.0.0.1:5432"], RemoteForwardingPorts: listenPorts),
        default, "");

    public static TheoryData<bool, string[], string, uint, ForwardingRefusalReason?> Cases => new()
    {
        { true, ["8080"], "localhost", 8080, null },
        { true, ["8080"], "127.0.0.1", 8080, null },
        { true, ["8080"], "::1", 8080, null },
        { true, ["8000-8099"], "localhost", 8099, null },
        { true, ["8000-8099"], "localhost", 8100, ForwardingRefusalReason.DestinationNotListed },
        { true, ["*"], "localhost", 40123, null },
        // The target picks the port: only a grant for any port covers what it may pick.
        { true, ["*"], "localhost", 0, null },
        { true, ["8000-8099"], "localhost", 0, ForwardingRefusalReason.DestinationNotListed },
        // Only the target's loopback: "" and "*" ask for every interface, an address for one of them.
        { true, ["*"], "", 8080, ForwardingRefusalReason.DestinationNotListed },
        { true, ["*"], "*", 8080, ForwardingRefusalReason.DestinationNotListed },
        { true, ["*"], "0.0.0.0", 8080, ForwardingRefusalReason.DestinationNotListed },
        { true, ["*"], "10.0.0.5", 8080, ForwardingRefusalReason.DestinationNotListed },
        // Listen ports count only under a grant that allows forwarding; a grant without them allows no remote forward.
        { false, ["8080"], "localhost", 8080, ForwardingRefusalReason.NotAllowedByGrant },
        { true, [], "localhost", 8080, ForwardingRefusalReason.NotAllowedByGrant },
        { true, ["*"], "localhost", 70000, ForwardingRefusalReason.DestinationNotListed },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_grant_decides_where_the_target_may_listen(bool forwarding, string[] listenPorts, string address, uint port,
        ForwardingRefusalReason? refused)
    {
        var verdict = ForwardingRules.DecideRemote(Allowed(forwarding, listenPorts), address, port);

        Assert.Equal(refused, verdict.Allowed is null ? verdict.Reason : null);
    }

    [Fact]
    public void A_grant_from_before_remote_forwarding_existed_allows_none()
    {
        var old = new AccessDecision(new AccessAllowed(Guid.NewGuid(), "alice", "web01", "127.0.0.1", 22, null, "deploy", Guid.NewGuid(), null,
            null, true, ["127.0.0.1:*"]), default, "");

        var verdict = ForwardingRules.DecideRemote(old, "localhost", 8080);

        Assert.Equal(ForwardingRefusalReason.NotAllowedByGrant, verdict.Reason);
        Assert.Equal("gatehouse: remote port forwarding on localhost:8080 is refused: your grant for deploy@web01 does not allow remote port forwarding",
            verdict.Message);
    }

    [Fact]
    public void A_port_the_grant_does_not_list_is_refused_without_naming_what_it_lists()
    {
        var verdict = ForwardingRules.DecideRemote(Allowed(true, "8000-8099"), "localhost", 9000);

        Assert.Equal("gatehouse: remote port forwarding on localhost:9000 is refused: it is not a port your grant for deploy@web01 lists",
            verdict.Message);
    }

    [Fact]
    public void A_refused_access_refuses_the_forward_with_its_own_message()
    {
        var refused = new AccessDecision(null, SessionRefusalReason.AccessRefused, "gatehouse: access to web01 as deploy is refused: no grant");

        var verdict = ForwardingRules.DecideRemote(refused, "localhost", 8080);

        Assert.Equal((ForwardingRefusalReason.AccessRefused, refused.Message), (verdict.Reason, verdict.Message));
    }

    [Fact]
    public void Should_find_in_this_SSH_NET_build_the_forwarded_tcpip_channel_and_requests_a_remote_forward_binds_to() =>
        Assert.Null(TargetListener.Unavailable);
}
