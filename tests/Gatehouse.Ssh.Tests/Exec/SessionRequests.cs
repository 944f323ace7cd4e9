using System.Text;
using Gatehouse.Ssh.Tests.TestGateway;
using Gatehouse.Ssh.Transport;

namespace Gatehouse.Ssh.Tests.Exec;

public class SessionRequests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Should_hand_env_signal_and_break_to_the_session_and_report_the_exit_signal()
    {
        await using var client = await RawSshClient.ConnectWithKeysAsync(gateway.Port);
        Assert.Equal((byte)SshMessage.UserauthSuccess, await client.AuthenticateWithPasswordAsync(LocalShellHooks.PasswordUser, LocalShellHooks.Password));
        var channel = await client.OpenSessionAsync();

        await client.SendAsync(Request(channel, "env", true, w => { w.WriteString("GREETING"); w.WriteString("hello-env"); }));
        await client.ExpectAsync(SshMessage.ChannelSuccess);
        await client.SendAsync(Request(channel, "exec", true, w => w.WriteString("echo $GREETING; exec sleep 30")));
        await client.ExpectAsync(SshMessage.ChannelSuccess);
        var data = await client.ExpectAsync(SshMessage.ChannelData);
        Assert.Equal("hello-env\n", Encoding.UTF8.GetString(data.AsSpan(9)));

        await client.SendAsync(Request(channel, "break", true, w => w.WriteUInt32(100)));
        await client.ExpectAsync(SshMessage.ChannelSuccess);
        await client.SendAsync(Request(channel, "signal", false, w => w.WriteString("TERM")));

        var exit = await client.ExpectAsync(SshMessage.ChannelRequest);
        var reader = new SshReader(exit.AsSpan(1));
        reader.ReadUInt32();
        Assert.Equal("exit-signal", reader.ReadString());
        Assert.False(reader.ReadBoolean());
        Assert.Equal("TERM", reader.ReadString());
        await client.ExpectAsync(SshMessage.ChannelEof);
        await client.ExpectAsync(SshMessage.ChannelClose);
        Assert.Contains(gateway.Hooks.Requests, r => r is SshSignalRequest { Signal: "TERM" });
        Assert.Contains(gateway.Hooks.Requests, r => r is SshBreakRequest { Milliseconds: 100 });
    }

    [Fact]
    public async Task Should_never_send_more_than_the_client_window_allows()
    {
        await using var client = await RawSshClient.ConnectWithKeysAsync(gateway.Port);
        await client.AuthenticateWithPasswordAsync(LocalShellHooks.PasswordUser, LocalShellHooks.Password);
        var channel = await client.OpenSessionAsync(window: 100_000);
        await client.SendAsync(Request(channel, "exec", true, w => w.WriteString("head -c 1000000 /dev/zero")));
        await client.ExpectAsync(SshMessage.ChannelSuccess);

        var reader = new QuietReader(client);
        Assert.Equal(100_000, await reader.ReceiveDataUntilQuietAsync());

        using (var adjust = new SshWriter(SshMessage.ChannelWindowAdjust))
        {
            adjust.WriteUInt32(0);
            adjust.WriteUInt32(50_000);
            await client.SendAsync(adjust.ToArray());
        }
        Assert.Equal(50_000, await reader.ReceiveDataUntilQuietAsync());
    }

    /// <summary>Counts channel data until none arrives for a second, keeping one read outstanding throughout.</summary>
    private sealed class QuietReader(RawSshClient client)
    {
        private Task<byte[]>? _pending;

        public async Task<int> ReceiveDataUntilQuietAsync()
        {
            var total = 0;
            while (true)
            {
                _pending ??= Task.Run(async () => (await client.ReceiveAsync()).ToArray());
                if (await Task.WhenAny(_pending, Task.Delay(1000)) != _pending) return total;
                var payload = await _pending;
                _pending = null;
                Assert.Equal((byte)SshMessage.ChannelData, payload[0]);
                total += payload.Length - 9;
            }
        }
    }

    [Fact]
    public async Task Should_refuse_requests_the_session_does_not_know()
    {
        await using var client = await RawSshClient.ConnectWithKeysAsync(gateway.Port);
        await client.AuthenticateWithPasswordAsync(LocalShellHooks.PasswordUser, LocalShellHooks.Password);
        var channel = await client.OpenSessionAsync();

        await client.SendAsync(Request(channel, "x11-req", true, w => { w.WriteBoolean(false); w.WriteString("MIT-MAGIC-COOKIE-1"); w.WriteString("00"); w.WriteUInt32(0); }));

        await client.ExpectAsync(SshMessage.ChannelFailure);
    }

    [Fact]
    public async Task Should_answer_keepalive_requests_so_the_client_stays_connected()
    {
        var result = await OpenSsh.SshAsync(gateway, LocalShellHooks.KeyUser, "sleep 5; echo still-here",
            extraOptions: ["-o", "ServerAliveInterval=1", "-o", "ServerAliveCountMax=3"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("still-here\n", result.Text);
    }

    private static byte[] Request(uint channel, string type, bool wantReply, Action<SshWriter> body)
    {
        using var writer = new SshWriter(SshMessage.ChannelRequest);
        writer.WriteUInt32(channel);
        writer.WriteString(type);
        writer.WriteBoolean(wantReply);
        body(writer);
        return writer.ToArray();
    }
}
