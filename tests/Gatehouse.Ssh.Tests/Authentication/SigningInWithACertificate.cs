using Gatehouse.Ssh.Tests.TestGateway;

namespace Gatehouse.Ssh.Tests.Authentication;

/// <summary>
/// The real ssh client offering a user certificate (CertificateFile): the server checks the client's signature with the
/// certified key and hands the certificate to the handler, whose decision trust is.
/// </summary>
public class SigningInWithACertificate(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Should_hand_the_handler_the_certificate_the_client_proved_it_holds_the_key_of()
    {
        var ca = Path.Combine(gateway.WorkDirectory, $"ca-{Guid.NewGuid():N}");
        Assert.Equal(0, (await OpenSsh.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", ca])).ExitCode);
        var key = Path.Combine(gateway.WorkDirectory, $"cert-user-{Guid.NewGuid():N}");
        Assert.Equal(0, (await OpenSsh.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key])).ExitCode);
        var signing = await OpenSsh.RunAsync("ssh-keygen", ["-q", "-s", ca, "-I", "erin@laptop", "-z", "4711", "-n", LocalShellHooks.KeyUser, key + ".pub"]);
        Assert.True(signing.ExitCode == 0, signing.Error);

        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "echo in", identity: key,
            extraOptions: ["-o", $"CertificateFile={key}-cert.pub"]);

        // The test handler trusts no CA, so the login fails; what matters is what reached it.
        Assert.Equal(255, result.ExitCode);
        var proven = gateway.Hooks.ProvenKeys.Select(p => p.Key).Where(k => k.Certificate is { Serial: 4711 }).ToList();
        var certificate = Assert.Single(proven).Certificate!;
        Assert.Equal("ssh-ed25519-cert-v01@openssh.com", proven[0].KeyType);
        Assert.Equal("erin@laptop", certificate.KeyId);
        Assert.Equal((await File.ReadAllTextAsync(key + ".pub")).Split(' ')[1], certificate.PublicKey.Base64);
    }
}
