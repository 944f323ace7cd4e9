using Gatehouse.Ssh.KeyExchange;
using Gatehouse.Ssh.Tests.TestGateway;
using Renci.SshNet;

namespace Gatehouse.Ssh.Tests.Interop;

/// <summary>
/// Real clients complete sessions over the post-quantum hybrids: OpenSSH 9.2 (which has sntrup761 only, as
/// sntrup761x25519-sha512@openssh.com) and SSH.NET 2026 (which has all three names).
/// </summary>
public class NegotiatingPostQuantumKeyExchange(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task OpenSSH_forced_to_sntrup761_completes_a_session()
    {
        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "echo over-sntrup761",
            extraOptions: ["-o", $"KexAlgorithms={KeyAgreement.Sntrup761X25519OpenSsh}"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("over-sntrup761\n", result.Text);
        Assert.Equal(KeyAgreement.Sntrup761X25519OpenSsh, LastKeyExchangeOf(LocalShellHooks.KeyUser));
    }

    [Fact]
    public async Task OpenSSH_with_its_own_defaults_gets_a_post_quantum_key_exchange()
    {
        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "true");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(KeyAgreement.IsPostQuantum(LastKeyExchangeOf(LocalShellHooks.KeyUser)));
    }

    [Theory]
    [InlineData(KeyAgreement.MlKem768X25519)]
    [InlineData(KeyAgreement.Sntrup761X25519)]
    [InlineData(KeyAgreement.Sntrup761X25519OpenSsh)]
    public async Task SSH_NET_forced_to_a_hybrid_completes_a_session(string method)
    {
        var info = new ConnectionInfo("127.0.0.1", gateway.Port, LocalShellHooks.KeyUser,
            new PrivateKeyAuthenticationMethod(LocalShellHooks.KeyUser, new PrivateKeyFile(gateway.Ed25519Key)));
        foreach (var other in info.KeyExchangeAlgorithms.Keys.Where(name => name != method).ToList())
        {
            info.KeyExchangeAlgorithms.Remove(other);
        }

        using var client = new SshClient(info);
        await client.ConnectAsync(CancellationToken.None);
        using var command = client.RunCommand("echo over-" + method);

        Assert.Equal($"over-{method}\n", command.Result);
        // SSH.NET reports both sntrup761 names by the IETF one; the gateway knows which name was agreed.
        Assert.Equal(method.Replace("@openssh.com", ""), client.ConnectionInfo.CurrentKeyExchangeAlgorithm);
        Assert.Equal(method, LastKeyExchangeOf(LocalShellHooks.KeyUser));
    }

    private string LastKeyExchangeOf(string user) => gateway.Hooks.Connections.Last(c => c.UserName == user && c.IsAuthenticated).KeyExchange;
}
