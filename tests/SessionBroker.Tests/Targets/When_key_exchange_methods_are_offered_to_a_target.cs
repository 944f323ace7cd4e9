using Gatehouse.SessionBroker.Targets;
using Renci.SshNet;

namespace Gatehouse.SessionBroker.Tests.Targets;

public sealed class When_key_exchange_methods_are_offered_to_a_target
{
    private static ConnectionInfo Info() => new("web01.internal", 22, "deploy", new NoneAuthenticationMethod("deploy"));

    [Fact]
    public void Should_put_the_post_quantum_hybrids_first_in_the_gateways_order_and_keep_the_order_of_the_rest()
    {
        var info = Info();
        // As if a release of SSH.NET put curve25519 first again.
        info.KeyExchangeAlgorithms.SetPosition("curve25519-sha256", 0);
        var others = info.KeyExchangeAlgorithms.Keys.Where(name => !TargetConnection.PreferredKeyExchanges.Contains(name)).ToList();

        TargetConnection.PreferPostQuantum(info);

        Assert.Equal([.. TargetConnection.PreferredKeyExchanges, .. others], info.KeyExchangeAlgorithms.Keys);
        Assert.Equal("curve25519-sha256", info.KeyExchangeAlgorithms.Keys.ElementAt(3));
    }

    [Fact]
    public void Should_skip_a_method_the_client_lacks_rather_than_invent_it()
    {
        var info = Info();
        info.KeyExchangeAlgorithms.Remove("mlkem768x25519-sha256");

        TargetConnection.PreferPostQuantum(info);

        Assert.Equal(["sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com"], info.KeyExchangeAlgorithms.Keys.Take(2));
        Assert.DoesNotContain("mlkem768x25519-sha256", info.KeyExchangeAlgorithms.Keys);
    }
}
