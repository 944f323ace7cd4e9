using Gatehouse.SessionBroker.Targets;
using Renci.SshNet;

namespace Gatehouse.SessionBroker.Tests.Targets;

public sealed class PreferringPostQuantumKeyExchangeTests
{
    private static ConnectionInfo Info() => new("web01.internal", 22, "deploy", new NoneAuthenticationMethod("deploy"));

    [Fact]
    public void The_post_quantum_hybrids_come_first_in_the_gateways_order_and_the_rest_keep_theirs()
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
    public void A_method_the_client_lacks_is_skipped_rather_than_invented()
    {
        var info = Info();
        info.KeyExchangeAlgorithms.Remove("mlkem768x25519-sha256");

        TargetConnection.PreferPostQuantum(info);

        Assert.Equal(["sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com"], info.KeyExchangeAlgorithms.Keys.Take(2));
        Assert.DoesNotContain("mlkem768x25519-sha256", info.KeyExchangeAlgorithms.Keys);
    }
}
