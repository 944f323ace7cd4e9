using Gatehouse.Ssh.Tests.TestGateway;

namespace Gatehouse.Ssh.Tests.Transfer;

[Collection(SerialCollection.Name)]
public class MovingBulkData(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const int LargeMebibytes = 100;
    private const int SmallMebibytes = 8;

    [Fact]
    public async Task Should_upload_100_MiB_intact()
    {
        var data = BulkData.Create(gateway.WorkDirectory, LargeMebibytes);
        await using var input = File.OpenRead(data.Path);

        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "sha256sum", input: input, timeout: TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.StartsWith(data.Sha256, result.Text);
    }

    [Fact]
    public async Task Should_download_100_MiB_intact()
    {
        var data = BulkData.Create(gateway.WorkDirectory, LargeMebibytes);

        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, $"cat {data.Path}", timeout: TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(LargeMebibytes * 1024 * 1024, result.Output.Length);
        Assert.Equal(data.Sha256, BulkData.HashOf(result.Output));
    }

    [Theory]
    [InlineData("chacha20-poly1305@openssh.com", null)]
    [InlineData("aes256-gcm@openssh.com", null)]
    [InlineData("aes128-gcm@openssh.com", null)]
    [InlineData("aes256-ctr", "hmac-sha2-256-etm@openssh.com")]
    [InlineData("aes128-ctr", "hmac-sha2-512-etm@openssh.com")]
    public async Task Should_carry_data_both_ways_with_each_cipher(string cipher, string? mac)
    {
        string[] options = mac is null ? ["-o", $"Ciphers={cipher}"] : ["-o", $"Ciphers={cipher}", "-o", $"MACs={mac}"];
        await AssertRoundTripAsync(options, SmallMebibytes);
    }

    [Theory]
    [InlineData("curve25519-sha256")]
    [InlineData("curve25519-sha256@libssh.org")]
    public async Task Should_complete_each_key_exchange(string kex)
    {
        await AssertRoundTripAsync(["-o", $"KexAlgorithms={kex}"], 1);
    }

    [Theory]
    [InlineData("ssh-ed25519")]
    [InlineData("rsa-sha2-512")]
    [InlineData("rsa-sha2-256")]
    public async Task Should_sign_with_each_host_key_algorithm(string algorithm)
    {
        await AssertRoundTripAsync(["-o", $"HostKeyAlgorithms={algorithm}"], 1);
    }

    [Fact]
    public async Task Should_survive_client_initiated_rekeying_mid_transfer()
    {
        var keyExchanges = await RoundTrip.AssertAsync(gateway, ["-v", "-o", "RekeyLimit=1M"], 24);

        Assert.True(keyExchanges > 10, $"only {keyExchanges} key exchanges");
    }

    [Fact]
    public async Task Should_refuse_sha1_and_cbc_algorithms()
    {
        foreach (var option in new[] { "Ciphers=aes128-cbc", "MACs=hmac-sha1", "KexAlgorithms=diffie-hellman-group14-sha1", "HostKeyAlgorithms=ssh-rsa" })
        {
            string[] extra = option.StartsWith("MACs") ? ["-o", "Ciphers=aes128-ctr", "-o", option] : ["-o", option];
            var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "true", extraOptions: extra);
            Assert.NotEqual(0, result.ExitCode);
        }
    }

    internal async Task AssertRoundTripAsync(string[] options, int mebibytes) => await RoundTrip.AssertAsync(gateway, options, mebibytes);
}

internal static class RoundTrip
{
    /// <summary>Sends data up and back down; returns how many key exchanges the client logged (with -v).</summary>
    public static async Task<int> AssertAsync(GatewayFixture gateway, string[] options, int mebibytes)
    {
        var data = BulkData.Create(gateway.WorkDirectory, mebibytes);
        var copy = Path.Combine(gateway.WorkDirectory, $"copy-{Guid.NewGuid():N}");
        ProcessResult upload;
        await using (var input = File.OpenRead(data.Path))
        {
            upload = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, $"cat > {copy}; sha256sum {copy}", extraOptions: options, input: input, timeout: TimeSpan.FromMinutes(1));
            Assert.True(upload.ExitCode == 0, upload.Error);
            Assert.StartsWith(data.Sha256, upload.Text);
        }
        var download = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, $"cat {copy}", extraOptions: options, timeout: TimeSpan.FromMinutes(1));
        Assert.True(download.ExitCode == 0, download.Error);
        Assert.Equal(data.Sha256, BulkData.HashOf(download.Output));
        File.Delete(copy);
        File.Delete(data.Path);
        return CountKeyExchanges(upload.Error) + CountKeyExchanges(download.Error);
    }

    private static int CountKeyExchanges(string clientLog) =>
        clientLog.Split('\n').Count(line => line.Contains("SSH2_MSG_KEXINIT received"));
}

public sealed class GatewayWithNistCurves : GatewayFixture
{
    protected override void Configure(SshServerOptions options)
    {
        options.KeyExchangeAlgorithms = ["curve25519-sha256", "ecdh-sha2-nistp256"];
        options.HostKeyAlgorithms = ["ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512"];
    }
}

public sealed class GatewayThatRekeysOften : GatewayFixture
{
    protected override void Configure(SshServerOptions options)
    {
        options.RekeyAfterBytes = 1024 * 1024;
        options.RekeyAfterTime = TimeSpan.FromSeconds(1);
    }
}

public class UsingTheOptInNistCurves(GatewayWithNistCurves gateway) : IClassFixture<GatewayWithNistCurves>
{
    [Fact]
    public async Task Should_complete_ecdh_sha2_nistp256_with_an_ecdsa_host_key()
    {
        await RoundTrip.AssertAsync(gateway, ["-o", "KexAlgorithms=ecdh-sha2-nistp256", "-o", "HostKeyAlgorithms=ecdsa-sha2-nistp256"], 1);
    }
}

public class RekeyingFromTheServerSide(GatewayThatRekeysOften gateway) : IClassFixture<GatewayThatRekeysOften>
{
    [Fact]
    public async Task Should_answer_requests_that_crossed_its_kexinit_once_the_new_keys_are_in_use()
    {
        await using var client = await TestGateway.RawSshClient.ConnectWithKeysAsync(gateway.Port, "aes128-gcm@openssh.com");
        Assert.Equal((byte)Transport.SshMessage.UserauthSuccess, await client.AuthenticateWithPasswordAsync(LocalShellHooks.PasswordUser, LocalShellHooks.Password));

        var serverKexInit = await client.ExpectAsync(Transport.SshMessage.KexInit);
        using (var keepalive = new Transport.SshWriter(Transport.SshMessage.GlobalRequest))
        {
            keepalive.WriteString("keepalive@openssh.com");
            keepalive.WriteBoolean(true);
            await client.SendAsync(keepalive.ToArray());
        }
        await client.ExchangeKeysAsync("aes128-gcm@openssh.com", serverKexInit);

        await client.ExpectAsync(Transport.SshMessage.RequestFailure);
    }

    [Fact]
    public async Task Should_rekey_every_mebibyte_without_losing_data()
    {
        var keyExchanges = await RoundTrip.AssertAsync(gateway, ["-v"], 24);

        Assert.True(keyExchanges > 10, $"only {keyExchanges} key exchanges");
    }

    [Fact]
    public async Task Should_rekey_after_the_configured_time_even_when_idle()
    {
        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "sleep 3; echo done", extraOptions: ["-v"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("done\n", result.Text);
        Assert.True(result.Error.Split('\n').Count(line => line.Contains("SSH2_MSG_KEXINIT received")) >= 2, result.Error);
    }
}
