using System.Net;
using Gatehouse.SessionBroker.Gateway.CertificateLogins;
using Gatehouse.Ssh.Certificates;

namespace Gatehouse.SessionBroker.Tests.Gateway.CertificateLogins;

/// <summary>The gateway's decision on a user certificate, as a table: each way it can be wrong refuses with its reason.</summary>
public class When_a_user_offers_a_certificate
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 0, 30, 0, TimeSpan.Zero);
    private static readonly IPAddress From = IPAddress.Parse("192.0.2.10");
    private static readonly SshCertificateAuthority Ca = SshCertificateAuthority.Generate("ssh-ed25519");
    private static readonly SshCertificateAuthority UsersOwnKey = SshCertificateAuthority.Generate("ssh-ed25519");
    private static readonly CertificateTrust Trust = new([Ca.PublicKey], null, null);

    private static SshCertificate Certificate(SshCertificateAuthority? signer = null, string principal = "alice", ulong serial = 42,
        DateTimeOffset? to = null, Dictionary<string, string>? critical = null, SshCertificateType type = SshCertificateType.User) =>
        (signer ?? Ca).Sign(new SshCertificateRequest(UsersOwnKey.PublicKey, type, serial, "alice@laptop", [principal],
            Now.AddHours(-1), to ?? Now.AddHours(8), critical));

    private static string? Refusal(SshCertificate certificate, CertificateTrust? trust = null, IPAddress? from = null) =>
        CertificateLogin.Refusal(certificate, "alice", from ?? From, Now, trust ?? Trust);

    [Fact]
    public void Should_let_in_the_user_a_trusted_CA_names_within_the_window() => Assert.Null(Refusal(Certificate()));

    [Fact]
    public void Should_refuse_a_certificate_the_user_signed_with_their_own_key() =>
        Assert.Contains("not trusted", Refusal(Certificate(signer: UsersOwnKey)));

    [Fact]
    public void Should_refuse_an_expired_certificate() => Assert.Contains("expired", Refusal(Certificate(to: Now.AddSeconds(-1))));

    [Fact]
    public void Should_refuse_a_certificate_for_another_principal() => Assert.Contains("not 'alice'", Refusal(Certificate(principal: "bob")));

    [Fact]
    public void Should_refuse_a_host_certificate() => Assert.Contains("host certificate", Refusal(Certificate(type: SshCertificateType.Host)));

    [Fact]
    public void Should_honour_source_address_and_refuse_from_elsewhere()
    {
        var certificate = Certificate(critical: new() { ["source-address"] = "192.0.2.0/24" });

        Assert.Null(Refusal(certificate));
        Assert.Contains("not from 198.51.100.1", Refusal(certificate, from: IPAddress.Parse("198.51.100.1")));
    }

    [Fact]
    public void Should_refuse_force_command_rather_than_ignore_it() =>
        Assert.Contains("force-command \"/usr/bin/backup\"", Refusal(Certificate(critical: new() { ["force-command"] = "/usr/bin/backup" })));

    [Fact]
    public void Should_refuse_a_critical_option_it_does_not_know() =>
        Assert.Contains("'no-such-option'", Refusal(Certificate(critical: new() { ["no-such-option"] = "" })));

    [Fact]
    public void Should_refuse_every_certificate_when_the_trust_cannot_be_read() =>
        Assert.Equal("cannot read", Refusal(Certificate(), CertificateTrust.Refusing("cannot read")));
}
