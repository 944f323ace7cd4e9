using Gatehouse.Contracts;
using Gatehouse.SessionBroker.Doctor;
using Gatehouse.Ssh;

namespace Gatehouse.SessionBroker.Tests.Doctor;

/// <summary>The gateway's own offer: weak algorithms enabled by configuration are findings; the shipped offer has none.</summary>
public sealed class When_the_doctor_judges_the_gateways_offer
{
    private static readonly SshServerOptions Shipped = new();

    [Fact]
    public void The_shipped_offer_has_no_finding()
    {
        Assert.Empty(GatewayOffer.Judge([.. Shipped.KeyExchangeAlgorithms], [.. Shipped.HostKeyAlgorithms], [.. Shipped.Ciphers], [.. Shipped.Macs]));
    }

    public static TheoryData<string, string, string, string, string, FindingSeverity> Offers => new()
    {
        // key exchange, host key algorithms, ciphers, MACs (comma-separated; empty = the shipped ones); the finding and its severity
        { "ecdh-sha2-nistp256,curve25519-sha256,mlkem768x25519-sha256", "", "", "", "gateway-nist-curves", FindingSeverity.Low },
        { "", "ecdsa-sha2-nistp256,ssh-ed25519", "", "", "gateway-nist-curves", FindingSeverity.Low },
        { "curve25519-sha256", "", "", "", "gateway-no-post-quantum-kex", FindingSeverity.Medium },
        { "diffie-hellman-group14-sha1,mlkem768x25519-sha256", "", "", "", "gateway-weak-kex", FindingSeverity.High },
        { "", "", "aes128-cbc,aes128-ctr", "", "gateway-weak-cipher", FindingSeverity.High },
        { "", "", "", "hmac-sha1,hmac-sha2-256-etm@openssh.com", "gateway-weak-mac", FindingSeverity.Medium },
        { "", "ssh-dss,ssh-ed25519", "", "", "gateway-weak-host-key", FindingSeverity.High },
        { "", "ssh-rsa,ssh-ed25519", "", "", "gateway-weak-host-key", FindingSeverity.High },
    };

    [Theory]
    [MemberData(nameof(Offers))]
    public void An_algorithm_weaker_than_the_defaults_is_a_finding_with_its_fix(string kex, string hostKeys, string ciphers, string macs,
        string code, FindingSeverity severity)
    {
        static string[] Or(string given, IEnumerable<string> shipped) => given.Length == 0 ? [.. shipped] : given.Split(',');

        var finding = Assert.Single(GatewayOffer.Judge(Or(kex, Shipped.KeyExchangeAlgorithms), Or(hostKeys, Shipped.HostKeyAlgorithms),
            Or(ciphers, Shipped.Ciphers), Or(macs, Shipped.Macs)));

        Assert.Equal((code, severity), (finding.Code, finding.Severity));
        Assert.False(string.IsNullOrWhiteSpace(finding.Fix));
    }
}
