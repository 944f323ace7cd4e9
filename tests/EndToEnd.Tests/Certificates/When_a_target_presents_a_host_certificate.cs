using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.SessionBroker.CertificateAuthority;
using Gatehouse.Ssh.Certificates;
using Gatehouse.Vocabulary;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.EndToEnd.Tests.Certificates;

/// <summary>
/// Targets registered with a host CA instead of a pinned key: a real sshd given a HostCertificate is accepted with
/// nothing pinned; a certificate from another CA, expired, or for another host name refuses the session with why.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_target_presents_a_host_certificate(GatehouseStack stack)
{
    [Theory]
    [InlineData("sound")]
    [InlineData("forged")]
    [InlineData("expired")]
    [InlineData("wrong-principal")]
    public async Task Should_accept_only_a_certificate_from_the_registered_host_CA_valid_now_for_the_target_address(string kind)
    {
        var ca = stack.Broker.GetRequiredService<GatehouseCa>();
        var hostCa = (await ca.RingAsync(CaKind.Host, default)).Trusted.Select(k => k.PublicKey).ToList();
        using var forger = SshCertificateAuthority.Generate("ssh-ed25519");
        var now = DateTimeOffset.UtcNow;
        var userCa = await GatehouseCli.RunAsync(stack, "ca", "show", "--user");
        await using var sshd = await SshTarget.StartTrustingUserCaAsync(Path.Combine(stack.Work, $"host-cert-{Guid.NewGuid():N}"), userCa.Out,
            async hostKeyLine =>
            {
                var hostKey = OpenSshPublicKey.ParseLine(hostKeyLine).Key!;
                var request = new SshCertificateRequest(hostKey, SshCertificateType.Host, GatehouseCa.NewSerial(), $"e2e {kind}",
                    [kind == "wrong-principal" ? "db9.example.net" : "127.0.0.1"],
                    kind == "expired" ? now.AddDays(-2) : now.AddMinutes(-5), kind == "expired" ? now.AddDays(-1) : now.AddHours(1));
                return (kind == "forged" ? forger.Sign(request) : await ca.SignAsync(CaKind.Host, request, default)).ToLine();
            });
        var target = await stack.RegisterTargetAsync("hc", on: sshd, storeCredential: false, pinHostKey: false, trustsGatehouseUserCa: true,
            hostCertificateAuthorities: hostCa);
        var user = await stack.CreateUserAsync("hc");
        await stack.GrantAsync(user, target);

        var result = await OpenSsh.SshAsync(stack, user, target, "echo reached");

        if (kind == "sound")
        {
            Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
            Assert.Equal("reached\n", result.Text);
            return;
        }

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain(sshd.Log, line => line.Contains("Accepted"));
        var refusal = (SessionRefused)(await stack.BrokerEventsAsync(e => e is SessionRefused r && r.UserName == user.Name)).Single();
        Assert.Equal(SessionRefusalReason.HostKeyMismatch, refusal.Reason);
        Assert.Contains(kind switch
        {
            "forged" => $"signed by CA {forger.PublicKey.Fingerprint}, which is not trusted here",
            "expired" => "is refused: it is expired",
            _ => "names db9.example.net, not '127.0.0.1'",
        }, refusal.Detail);
        Assert.Contains($"the host certificate of {target} is refused", result.Error);
    }
}
