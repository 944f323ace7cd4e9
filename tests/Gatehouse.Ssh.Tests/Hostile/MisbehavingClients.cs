using System.Diagnostics;
using System.Text;
using Gatehouse.Ssh.Tests.TestGateway;
using Gatehouse.Ssh.Transport;

namespace Gatehouse.Ssh.Tests.Hostile;

public class MisbehavingClients(HardenedGateway gateway) : IClassFixture<HardenedGateway>
{
    [Fact]
    public async Task A_garbage_banner_is_disconnected()
    {
        await using var client = await RawSshClient.ConnectAsync(gateway.Port);
        await client.SendRawAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET / HTTP/1.1\r\n", 30))));

        Assert.Equal(SshDisconnectReason.ProtocolError, await client.WaitForDisconnectAfterBannerAsync());
        await AssertGatewayStillServesAsync();
    }

    [Fact]
    public async Task An_endless_banner_line_is_disconnected()
    {
        await using var client = await RawSshClient.ConnectAsync(gateway.Port);
        await client.SendRawAsync(new byte[4096]);

        Assert.Equal(SshDisconnectReason.ProtocolError, await client.WaitForDisconnectAfterBannerAsync());
    }

    [Fact]
    public async Task An_oversized_packet_length_is_disconnected_before_anything_is_allocated()
    {
        await using var client = await RawSshClient.ConnectAsync(gateway.Port);
        await client.ExchangeVersionsAsync();
        await client.SendRawAsync([0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

        Assert.Equal(SshDisconnectReason.ProtocolError, await client.WaitForDisconnectAsync());
        await AssertGatewayStillServesAsync();
    }

    [Fact]
    public async Task A_large_packet_within_the_limit_is_accepted_and_one_beyond_it_is_not()
    {
        await using var client = await RawSshClient.ConnectWithKeysAsync(gateway.Port);
        await client.SendAsync([(byte)SshMessage.Ignore, .. new byte[200 * 1024]]);
        await client.SendAsync([222]);
        await client.ExpectAsync(SshMessage.Unimplemented);

        await client.SendAsync([(byte)SshMessage.Ignore, .. new byte[260 * 1024]]);

        Assert.Equal(SshDisconnectReason.ProtocolError, await client.WaitForDisconnectAsync());
    }

    [Fact]
    public async Task A_packet_with_a_wrong_mac_is_disconnected()
    {
        await using var client = await RawSshClient.ConnectWithKeysAsync(gateway.Port);
        var packet = new byte[4 + 16 + 16];
        packet[3] = 16;
        packet[4] = 10;
        packet[5] = (byte)SshMessage.Ignore;
        client.ForgingCipher!.Seal(packet.AsSpan(0, 20), packet.AsSpan(20), 0);
        packet[10] ^= 0x40;
        await client.SendRawAsync(packet);

        Assert.Equal(SshDisconnectReason.MacError, await client.WaitForDisconnectAsync());
    }

    [Theory]
    [InlineData("aes256-gcm@openssh.com")]
    [InlineData("aes128-ctr")]
    public async Task A_tampered_packet_is_disconnected_with_every_cipher(string cipher)
    {
        await using var client = await RawSshClient.ConnectWithKeysAsync(gateway.Port, cipher);
        var packet = new byte[4 + 32 + 64];
        packet[3] = 32;
        packet[4] = 26;
        packet[5] = (byte)SshMessage.Ignore;
        client.ForgingCipher!.Seal(packet.AsSpan(0, 36), packet.AsSpan(36, client.ForgingCipher.TagSize), 0);
        packet[20] ^= 0x01;
        await client.SendRawAsync(packet[..(36 + client.ForgingCipher.TagSize)]);

        Assert.Equal(SshDisconnectReason.MacError, await client.WaitForDisconnectAsync());
    }

    [Fact]
    public async Task A_connection_message_before_authentication_is_disconnected()
    {
        await using var client = await RawSshClient.ConnectWithKeysAsync(gateway.Port);
        using var open = new SshWriter(SshMessage.ChannelOpen);
        open.WriteString("session");
        open.WriteUInt32(0);
        open.WriteUInt32(65536);
        open.WriteUInt32(32768);
        await client.SendAsync(open.ToArray());

        Assert.Equal(SshDisconnectReason.ProtocolError, await client.WaitForDisconnectAsync());
    }

    [Fact]
    public async Task An_unknown_message_number_is_answered_with_unimplemented_and_the_connection_goes_on()
    {
        await using var client = await RawSshClient.ConnectWithKeysAsync(gateway.Port);
        await client.SendAsync([200, 1, 2, 3]);

        var reply = await client.ExpectAsync(SshMessage.Unimplemented);
        Assert.Equal(0u, new SshReader(reply.AsSpan(1)).ReadUInt32());
        Assert.Equal((byte)SshMessage.UserauthSuccess, await client.AuthenticateWithPasswordAsync(LocalShellHooks.PasswordUser, LocalShellHooks.Password));
    }

    [Fact]
    public async Task A_message_during_the_initial_strict_key_exchange_is_disconnected()
    {
        await using var client = await RawSshClient.ConnectAsync(gateway.Port);
        await client.ExchangeVersionsAsync();
        await client.SendAsync([(byte)SshMessage.Ignore, 0, 0, 0, 0]);
        var ours = new KeyExchange.KexInit(["curve25519-sha256", KeyExchange.KexInit.StrictKexClient], ["ssh-ed25519"],
            ["aes128-gcm@openssh.com"], ["aes128-gcm@openssh.com"], ["hmac-sha2-256-etm@openssh.com"], ["hmac-sha2-256-etm@openssh.com"], ["none"], ["none"], false);
        await client.SendAsync(ours.Encode());

        Assert.Equal(SshDisconnectReason.ProtocolError, await client.WaitForDisconnectAsync());
    }

    [Fact]
    public async Task A_key_exchange_left_half_done_is_ended_by_the_login_grace_time()
    {
        await using var client = await RawSshClient.ConnectAsync(gateway.Port);
        await client.ExchangeVersionsAsync();
        var ours = new KeyExchange.KexInit(["curve25519-sha256", KeyExchange.KexInit.StrictKexClient], ["ssh-ed25519"],
            ["aes128-gcm@openssh.com"], ["aes128-gcm@openssh.com"], ["hmac-sha2-256-etm@openssh.com"], ["hmac-sha2-256-etm@openssh.com"], ["none"], ["none"], false);
        await client.SendAsync(ours.Encode());
        var clock = Stopwatch.StartNew();

        Assert.Equal(SshDisconnectReason.ByApplication, await client.WaitForDisconnectAsync(TimeSpan.FromSeconds(10)));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task An_idle_authenticated_connection_is_closed_after_the_idle_timeout()
    {
        await using var client = await RawSshClient.ConnectWithKeysAsync(gateway.Port);
        Assert.Equal((byte)SshMessage.UserauthSuccess, await client.AuthenticateWithPasswordAsync(LocalShellHooks.PasswordUser, LocalShellHooks.Password));
        var clock = Stopwatch.StartNew();

        Assert.Equal(SshDisconnectReason.ByApplication, await client.WaitForDisconnectAsync(TimeSpan.FromSeconds(10)));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(9));
    }

    [Fact]
    public async Task A_slow_client_is_cut_off_while_others_are_served()
    {
        await using var client = await RawSshClient.ConnectAsync(gateway.Port);
        var trickle = Task.Run(async () =>
        {
            try
            {
                foreach (var b in "SSH-2.0-Slowloris\r\n"u8.ToArray())
                {
                    await client.SendRawAsync([b]);
                    await Task.Delay(400);
                }
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
        });

        await AssertGatewayStillServesAsync();
        Assert.Equal(SshDisconnectReason.ByApplication, await client.WaitForDisconnectAfterBannerAsync(TimeSpan.FromSeconds(6)));
        await trickle;
    }

    [Fact]
    public async Task A_client_overrunning_the_channel_window_is_disconnected()
    {
        await using var client = await RawSshClient.ConnectWithKeysAsync(gateway.Port);
        Assert.Equal((byte)SshMessage.UserauthSuccess, await client.AuthenticateWithPasswordAsync(LocalShellHooks.PasswordUser, LocalShellHooks.Password));
        var channel = await client.OpenSessionAsync();
        var chunk = new byte[16 * 1024];
        for (var sent = 0; sent <= HardenedGateway.WindowSize; sent += chunk.Length)
        {
            using var data = new SshWriter(SshMessage.ChannelData, chunk.Length + 16);
            data.WriteUInt32(channel);
            data.WriteBinary(chunk);
            await client.SendAsync(data.ToArray());
        }

        Assert.Equal(SshDisconnectReason.ProtocolError, await client.WaitForDisconnectAsync());
    }

    [Fact]
    public async Task Too_many_channels_on_one_connection_are_refused()
    {
        await using var client = await RawSshClient.ConnectWithKeysAsync(gateway.Port);
        Assert.Equal((byte)SshMessage.UserauthSuccess, await client.AuthenticateWithPasswordAsync(LocalShellHooks.PasswordUser, LocalShellHooks.Password));
        await client.OpenSessionAsync();
        await client.OpenSessionAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.OpenSessionAsync());
    }

    [Fact]
    public async Task A_queried_key_is_never_treated_as_proven()
    {
        await using var client = await RawSshClient.ConnectWithKeysAsync(gateway.Port);
        await client.RequestAuthenticationServiceAsync();
        var blob = Convert.FromBase64String(File.ReadAllText(gateway.Ed25519Key + ".pub").Split(' ')[1]);
        var provenBefore = gateway.Hooks.ProvenKeys.Count;

        Assert.Equal((byte)SshMessage.UserauthPkOk, await client.QueryPublicKeyAsync(LocalShellHooks.KeyUser, "ssh-ed25519", blob));
        Assert.Equal((byte)SshMessage.UserauthFailure, await client.SignWithBogusSignatureAsync(LocalShellHooks.KeyUser, "ssh-ed25519", blob));
        Assert.Equal(provenBefore, gateway.Hooks.ProvenKeys.Count);
    }

    [Fact]
    public async Task Unauthenticated_connections_from_one_source_are_capped()
    {
        var clients = new List<RawSshClient>();
        try
        {
            await WaitForAsync(() => gateway.Server.UnauthenticatedConnections == 0);
            for (var i = 0; i < HardenedGateway.PerSourceLimit; i++)
            {
                var client = await RawSshClient.ConnectAsync(gateway.Port);
                clients.Add(client);
                await client.ExchangeVersionsAsync();
            }
            await using var refused = await RawSshClient.ConnectAsync(gateway.Port);

            await Assert.ThrowsAnyAsync<Exception>(refused.ExchangeVersionsAsync);
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
        await WaitForAsync(() => gateway.Server.UnauthenticatedConnections == 0);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("condition not reached");
            await Task.Delay(50);
        }
    }

    private async Task AssertGatewayStillServesAsync()
    {
        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "echo still-serving", extraOptions: HardenedGateway.QuickKeyExchange);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("still-serving\n", result.Text);
        Assert.Equal(0, gateway.Log.Errors);
    }
}
