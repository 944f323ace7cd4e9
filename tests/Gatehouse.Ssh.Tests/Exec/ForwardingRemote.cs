using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Gatehouse.Ssh.Tests.TestGateway;
using Gatehouse.Ssh.Transport;

namespace Gatehouse.Ssh.Tests.Exec;

public sealed class GatewayAllowingRemoteForwarding : GatewayFixture
{
    public GatewayAllowingRemoteForwarding() => Hooks.AllowRemoteForwarding = true;
}

/// <summary>ssh -R: tcpip-forward answered in order, and each connection handed to the client as a forwarded-tcpip channel.</summary>
public class ForwardingRemoteWhenTheHandlerAllowsIt(GatewayAllowingRemoteForwarding gateway) : IClassFixture<GatewayAllowingRemoteForwarding>
{
    private IEnumerable<string> Options(params string[] extra) =>
        ["-o", "LogLevel=INFO", "-o", "ExitOnForwardFailure=yes", .. extra, .. OpenSsh.CommonOptions(gateway.Port, gateway.Ed25519Key)];

    [Fact]
    public async Task Should_carry_a_connection_to_the_listened_port_back_to_a_service_on_the_client_side()
    {
        using var service = new TcpListener(IPAddress.Loopback, 0);
        service.Start();
        var shout = Task.Run(async () =>
        {
            using var peer = await service.AcceptTcpClientAsync();
            var line = await new StreamReader(peer.GetStream()).ReadLineAsync();
            await peer.GetStream().WriteAsync(Encoding.UTF8.GetBytes(line!.ToUpperInvariant() + "\n"));
        });
        var listenPort = FreePort();

        // The command runs on the gateway's machine, where the forward listens; it may start before the listener does.
        var command = $"for i in $(seq 100); do exec 3<>/dev/tcp/127.0.0.1/{listenPort} && break; sleep 0.1; done 2>/dev/null; "
                      + "echo \"back to the client\" >&3; head -1 <&3";
        var result = await OpenSsh.RunAsync("ssh",
            [.. Options("-R", $"{listenPort}:127.0.0.1:{((IPEndPoint)service.LocalEndpoint).Port}"), "alice@127.0.0.1", $"bash -c '{command}'"],
            input: new MemoryStream());

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("BACK TO THE CLIENT\n", result.Text);
        await shout;
    }

    [Fact]
    public async Task Should_tell_the_client_the_port_it_listens_on_when_asked_for_any()
    {
        var result = await OpenSsh.RunAsync("ssh", [.. Options("-R", "0:127.0.0.1:9"), "alice@127.0.0.1", "echo ran"], input: new MemoryStream());

        Assert.True(result.ExitCode == 0, result.Error);
        var allocated = Regex.Match(result.Error, @"Allocated port (\d+) for remote forward");
        Assert.True(allocated.Success, result.Error);
        Assert.InRange(int.Parse(allocated.Groups[1].Value), 1, 65535);
    }

    [Fact]
    public async Task Should_answer_a_cancel_with_success_only_for_a_forward_it_holds()
    {
        await using var client = await RawSshClient.ConnectWithKeysAsync(gateway.Port);
        Assert.Equal((byte)SshMessage.UserauthSuccess, await client.AuthenticateWithPasswordAsync(LocalShellHooks.PasswordUser, LocalShellHooks.Password));
        await client.SendAsync(Forward("tcpip-forward", 0));
        var granted = await client.ExpectAsync(SshMessage.RequestSuccess);
        var port = new SshReader(granted.AsSpan(1)).ReadUInt32();

        // OpenSSH asks for no answer to a cancel; a client that asks gets one, in order.
        await client.SendAsync(Forward("cancel-tcpip-forward", port == 65535 ? port - 1 : port + 1));
        await client.ExpectAsync(SshMessage.RequestFailure);
        await client.SendAsync(Forward("cancel-tcpip-forward", port));
        await client.ExpectAsync(SshMessage.RequestSuccess);
        await client.SendAsync(Forward("cancel-tcpip-forward", port));
        await client.ExpectAsync(SshMessage.RequestFailure);
    }

    private static byte[] Forward(string request, uint port)
    {
        using var writer = new SshWriter(SshMessage.GlobalRequest);
        writer.WriteString(request);
        writer.WriteBoolean(true);
        writer.WriteString("127.0.0.1");
        writer.WriteUInt32(port);
        return writer.ToArray();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
