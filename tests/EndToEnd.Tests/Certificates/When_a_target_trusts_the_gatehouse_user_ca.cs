using System.Text.Json;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.SessionBroker.CertificateAuthority;
using Gatehouse.Ssh.Certificates;
using Gatehouse.Vocabulary;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.EndToEnd.Tests.Certificates;

/// <summary>
/// A real sshd that trusts only Gatehouse's user CA (TrustedUserCAKeys as 'gatehouse ca show --user' prints it, no
/// authorized_keys): the gateway signs in with a certificate made for the session, and the vault holds nothing for it.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_target_trusts_the_gatehouse_user_ca(GatehouseStack stack) : IAsyncLifetime
{
    private SshTarget _target = null!;

    public async Task InitializeAsync()
    {
        var shown = await GatehouseCli.RunAsync(stack, "ca", "show", "--user");
        Assert.True(shown.Exit == 0, shown.Error);
        _target = await SshTarget.StartTrustingUserCaAsync(Path.Combine(stack.Work, $"ca-target-{Guid.NewGuid():N}"), shown.Out);
    }

    public async Task DisposeAsync() => await _target.DisposeAsync();

    [Fact]
    public async Task Should_sign_in_with_a_session_certificate_that_names_the_user_and_session_in_the_target_log()
    {
        var target = await stack.RegisterTargetAsync("ca", on: _target, storeCredential: false, trustsGatehouseUserCa: true);
        var user = await stack.CreateUserAsync("ca");
        await stack.GrantAsync(user, target);

        var result = await OpenSsh.SshAsync(stack, user, target, "id -un");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal($"{SshTarget.Login}\n", result.Text);
        var issued = (UserCertificateIssued)(await stack.BrokerEventsAsync(e => e is UserCertificateIssued i && i.UserName == user.Name)).Single();
        Assert.Equal([SshTarget.Login], issued.Principals);
        Assert.Equal(target, issued.Target);
        Assert.Equal($"gatehouse user={user.Name} session={issued.SessionId} target={target}", issued.KeyId);
        Assert.Equal(TimeSpan.FromMinutes(6), issued.ValidBefore - issued.ValidAfter);
        Assert.Equal(["permit-pty"], issued.Extensions);
        var accepted = Assert.Single(_target.Log, line => line.Contains($"Accepted publickey for {SshTarget.Login}"));
        Assert.Contains($"ID {issued.KeyId} (serial {issued.Serial})", accepted);
        var vault = JsonSerializer.Deserialize<JsonElement>(await stack.BrokerAdmin.GetStringAsync("api/vault/credentials"));
        Assert.DoesNotContain(vault.EnumerateArray(), e => e.GetProperty("target").GetString() == target);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("wrong-principal")]
    public async Task Should_be_refused_by_the_target_with_a_certificate_that_is_expired_or_for_another_login(string flaw)
    {
        var ca = stack.Broker.GetRequiredService<GatehouseCa>();
        var key = await Processes.KeyPairAsync(_target.Directory, $"user-{flaw}");
        var publicKey = OpenSshPublicKey.ParseLine(await File.ReadAllTextAsync(key + ".pub")).Key!;
        var now = DateTimeOffset.UtcNow;
        var (principal, from, to) = flaw == "expired"
            ? (SshTarget.Login, now.AddMinutes(-10), now.AddMinutes(-5))
            : ("someone-else", now.AddMinutes(-1), now.AddMinutes(5));
        var certificate = await ca.SignAsync(CaKind.User, new SshCertificateRequest(publicKey, SshCertificateType.User,
            GatehouseCa.NewSerial(), $"made bad on purpose: {flaw}", [principal], from, to), default);
        await File.WriteAllTextAsync(key + "-cert.pub", certificate.ToLine() + "\n");
        var good = await ca.SignAsync(CaKind.User, new SshCertificateRequest(publicKey, SshCertificateType.User,
            GatehouseCa.NewSerial(), "control", [SshTarget.Login], now.AddMinutes(-1), now.AddMinutes(5)), default);

        var refused = await DirectlyAsync(key, key + "-cert.pub");
        var goodCertificate = key + "-good-cert.pub";
        await File.WriteAllTextAsync(goodCertificate, good.ToLine() + "\n");
        var accepted = await DirectlyAsync(key, goodCertificate);

        Assert.Equal(255, refused.ExitCode);
        Assert.Contains(_target.Log, line => line.Contains(flaw == "expired" ? "Certificate invalid: expired" : "Certificate invalid: name is not a listed principal"));
        Assert.True(accepted.ExitCode == 0, "the same key with a sound certificate must be accepted: " + accepted.Error);
    }

    private Task<ProcessResult> DirectlyAsync(string key, string certificate) => Processes.RunAsync("ssh",
    [
        "-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
        "-o", "IdentitiesOnly=yes", "-i", key, "-o", $"CertificateFile={certificate}", "-p", _target.Port.ToString(),
        $"{SshTarget.Login}@127.0.0.1", "true",
    ]);
}
