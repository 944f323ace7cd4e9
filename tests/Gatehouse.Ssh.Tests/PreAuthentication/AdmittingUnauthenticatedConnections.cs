using System.Net;
using Gatehouse.Ssh.PreAuthentication;

namespace Gatehouse.Ssh.Tests.PreAuthentication;

public class AdmittingUnauthenticatedConnections
{
    private static readonly SshServerOptions Shipped = new();
    private long _nextId;

    private UnauthenticatedConnection Held(string source, double openedAtSeconds = 0, bool keysExchanged = false) =>
        new(++_nextId, IPAddress.Parse(source), TimeSpan.FromSeconds(openedAtSeconds), keysExchanged);

    private List<UnauthenticatedConnection> Many(int count, Func<int, string> source) =>
        Enumerable.Range(0, count).Select(i => Held(source(i), i)).ToList();

    private static Admission Decide(IReadOnlyCollection<UnauthenticatedConnection> held, string source) =>
        UnauthenticatedAdmission.Decide(held, IPAddress.Parse(source), Shipped);

    [Fact]
    public void A_connection_below_every_limit_is_admitted()
    {
        Assert.Equal(Admission.Admitted, Decide(Many(9, _ => "192.0.2.1"), "192.0.2.1"));
    }

    [Fact]
    public void A_source_holding_its_limit_is_refused()
    {
        var decision = Decide(Many(10, _ => "192.0.2.1"), "192.0.2.1");

        Assert.Equal((AdmissionOutcome.Refused, PreAuthRefusal.SourceLimit), (decision.Outcome, decision.Refusal));
    }

    [Fact]
    public void A_subnet_holding_its_limit_is_refused_even_from_a_new_address_in_it()
    {
        var held = Many(20, i => $"198.51.100.{i + 1}");

        Assert.Equal(PreAuthRefusal.SubnetLimit, Decide(held, "198.51.100.200").Refusal);
        Assert.Equal(Admission.Admitted, Decide(held, "198.51.101.1"));
    }

    [Fact]
    public void Ipv6_sources_count_per_64_bit_prefix()
    {
        var held = Many(20, i => $"2001:db8:0:1::{i + 1:x}");

        Assert.Equal(PreAuthRefusal.SubnetLimit, Decide(held, "2001:db8:0:1:ffff::1").Refusal);
        Assert.Equal(Admission.Admitted, Decide(held, "2001:db8:0:2::1"));
    }

    [Fact]
    public void An_ipv4_mapped_address_counts_as_the_ipv4_source()
    {
        var decision = Decide(Many(10, _ => "192.0.2.1"), "::ffff:192.0.2.1");

        Assert.Equal(PreAuthRefusal.SourceLimit, decision.Refusal);
    }

    [Fact]
    public void Above_the_high_water_mark_a_source_holding_its_share_is_refused_and_a_new_one_admitted()
    {
        var held = Many(48, i => $"10.{i}.0.1");
        held.AddRange([Held("203.0.113.1"), Held("203.0.113.1")]);

        Assert.Equal(PreAuthRefusal.SourceShareUnderPressure, Decide(held, "203.0.113.1").Refusal);
        Assert.Equal(Admission.Admitted, Decide(held, "203.0.113.2"));
    }

    [Fact]
    public void Above_the_high_water_mark_a_subnet_holding_its_share_is_refused()
    {
        var held = Many(46, i => $"10.{i}.0.1");
        held.AddRange(Many(4, i => $"203.0.113.{i + 1}"));

        Assert.Equal(PreAuthRefusal.SubnetShareUnderPressure, Decide(held, "203.0.113.9").Refusal);
    }

    [Fact]
    public void A_full_gateway_drops_the_oldest_stalled_connection_of_the_largest_subnet_for_a_newcomer()
    {
        var held = Many(90, i => $"10.{i}.0.1");
        var crowd = Enumerable.Range(0, 10).Select(i => Held($"198.51.100.{i + 1}", 100 + i, keysExchanged: i < 3)).ToList();
        held.AddRange(crowd);

        var decision = Decide(held, "203.0.113.1");

        Assert.Equal(AdmissionOutcome.AdmittedByEvicting, decision.Outcome);
        Assert.Equal(crowd[3], decision.Evicted);
    }

    [Fact]
    public void A_full_gateway_refuses_a_newcomer_from_the_largest_subnet_itself()
    {
        var held = Many(97, i => $"10.{i}.0.1");
        held.AddRange(Many(3, i => $"198.51.100.{i + 1}"));

        var decision = Decide(held, "198.51.100.50");

        Assert.Equal((AdmissionOutcome.Refused, PreAuthRefusal.GatewayFull), (decision.Outcome, decision.Refusal));
    }

    [Fact]
    public void A_full_gateway_with_every_slot_in_a_different_subnet_refuses_a_newcomer()
    {
        var decision = Decide(Many(100, i => $"10.{i}.0.1"), "203.0.113.1");

        Assert.Equal((AdmissionOutcome.Refused, PreAuthRefusal.GatewayFull), (decision.Outcome, decision.Refusal));
    }

    /// <summary>
    /// The figure in the README: an attacker that keeps reconnecting from every address it has, against the
    /// shipped limits, keeps a newcomer from a fresh subnet out only once it holds as many subnets as there are
    /// slots (100); with fewer it cannot hold the gateway full of one-per-subnet connections.
    /// </summary>
    [Theory]
    [InlineData(1, 200, "Admitted")]
    [InlineData(10, 10, "Admitted")]
    [InlineData(25, 10, "AdmittedByEvicting")]
    [InlineData(99, 3, "AdmittedByEvicting")]
    [InlineData(100, 3, "Refused")]
    public void An_attacker_needs_a_subnet_per_slot_to_keep_a_newcomer_out(int subnets, int sourcesPerSubnet, string newcomer)
    {
        var held = new List<UnauthenticatedConnection>();
        var clock = 0.0;
        for (var round = 0; round < 12; round++)
        {
            for (var s = 0; s < subnets; s++)
            {
                for (var a = 0; a < sourcesPerSubnet; a++)
                {
                    var source = $"10.{s / 200}.{s % 200}.{a + 1}";
                    var decision = Decide(held, source);
                    if (decision.Evicted is not null) held.Remove(decision.Evicted);
                    if (decision.Outcome != AdmissionOutcome.Refused) held.Add(Held(source, clock += 0.001));
                }
            }
        }

        Assert.Equal(Enum.Parse<AdmissionOutcome>(newcomer), Decide(held, "203.0.113.1").Outcome);
    }

    [Fact]
    public void A_connection_has_the_short_grace_until_its_keys_are_exchanged_and_the_login_grace_after()
    {
        var opened = TimeSpan.FromSeconds(1000);

        Assert.False(UnauthenticatedAdmission.IsOverdue(opened, keysExchanged: false, opened + TimeSpan.FromSeconds(10), Shipped));
        Assert.True(UnauthenticatedAdmission.IsOverdue(opened, keysExchanged: false, opened + TimeSpan.FromSeconds(10.5), Shipped));
        Assert.False(UnauthenticatedAdmission.IsOverdue(opened, keysExchanged: true, opened + TimeSpan.FromSeconds(59), Shipped));
        Assert.True(UnauthenticatedAdmission.IsOverdue(opened, keysExchanged: true, opened + TimeSpan.FromSeconds(61), Shipped));
    }

    [Fact]
    public void The_key_exchange_grace_never_outlasts_the_login_grace()
    {
        var options = new SshServerOptions { LoginGraceTime = TimeSpan.FromSeconds(2) };

        Assert.Equal(TimeSpan.FromSeconds(2), UnauthenticatedAdmission.GraceTime(keysExchanged: false, options));
    }
}
