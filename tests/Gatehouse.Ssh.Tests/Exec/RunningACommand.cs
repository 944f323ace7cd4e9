using Gatehouse.Ssh.Tests.TestGateway;

namespace Gatehouse.Ssh.Tests.Exec;

public class RunningACommand(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Should_return_the_output_and_exit_status_of_the_command()
    {
        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "echo hello from $USER-less shell; echo oops >&2; exit 7");

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("hello from -less shell\n", result.Text);
        Assert.Contains("oops", result.Error);
    }

    [Fact]
    public async Task Should_agree_on_strict_key_exchange_and_post_quantum_key_exchange_with_openssh()
    {
        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "true");

        Assert.Equal(0, result.ExitCode);
        var exchanged = gateway.Log.Messages.Last(m => m.StartsWith("Keys exchanged") && m.Contains("OpenSSH"));
        // Debian's 9.2p1 (deb12u10) offers the IETF name of sntrup761 before OpenSSH's own.
        Assert.True(exchanged.Contains("sntrup761x25519-sha512, ssh-ed25519, chacha20-poly1305@openssh.com (AEAD), strict=True"), exchanged);
    }

    [Fact]
    public void Should_log_the_host_key_fingerprints_at_start()
    {
        foreach (var fingerprint in gateway.Server.HostKeyFingerprints)
        {
            Assert.Contains(gateway.Log.Messages, m => m == "SSH host key " + fingerprint);
        }
    }

    [Fact]
    public async Task Should_tell_clients_that_ask_which_signature_algorithms_it_accepts()
    {
        await using var client = await RawSshClient.ConnectAsync(gateway.Port);
        await client.ExchangeVersionsAsync();
        await client.ExchangeKeysAsync("aes256-gcm@openssh.com", announceExtInfo: true);

        var extInfo = await client.ExpectAsync(Transport.SshMessage.ExtInfo);

        var reader = new Transport.SshReader(extInfo.AsSpan(1));
        Assert.Equal(1u, reader.ReadUInt32());
        Assert.Equal("server-sig-algs", reader.ReadString());
        Assert.Equal(["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256"], reader.ReadNameList());
    }

    [Fact]
    public async Task Should_pass_standard_input_through_to_the_command()
    {
        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "tr a-z A-Z", input: new MemoryStream("gatehouse\n"u8.ToArray()));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("GATEHOUSE\n", result.Text);
    }

    [Theory]
    [InlineData("ed25519")]
    [InlineData("ecdsa-p256")]
    [InlineData("ecdsa-p384")]
    [InlineData("ecdsa-p521")]
    [InlineData("rsa")]
    public async Task Should_accept_each_kind_of_user_key(string kind)
    {
        var key = kind switch
        {
            "ed25519" => gateway.Ed25519Key,
            "ecdsa-p256" => gateway.EcdsaKey,
            "ecdsa-p384" => gateway.Ecdsa384Key,
            "ecdsa-p521" => gateway.Ecdsa521Key,
            _ => gateway.RsaKey,
        };

        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "true", identity: key);

        Assert.True(result.ExitCode == 0, result.Error);
        var proven = gateway.Hooks.ProvenKeys.Select(p => p.Key.ToOpenSshFormat()).ToList();
        Assert.Contains(proven, k => File.ReadAllText(key + ".pub").StartsWith(k, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("rsa-sha2-512")]
    [InlineData("rsa-sha2-256")]
    public async Task Should_accept_rsa_signatures_with_sha2(string algorithm)
    {
        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "true", identity: gateway.RsaKey, extraOptions: ["-o", $"PubkeyAcceptedAlgorithms={algorithm}"]);

        Assert.True(result.ExitCode == 0, result.Error);
    }

    [Fact]
    public async Task Should_refuse_rsa_signatures_with_sha1()
    {
        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "true", identity: gateway.RsaKey, extraOptions: ["-o", "PubkeyAcceptedAlgorithms=ssh-rsa"]);

        Assert.Equal(255, result.ExitCode);
    }
}
