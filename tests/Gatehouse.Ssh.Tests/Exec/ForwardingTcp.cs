using System.Net;
using System.Net.Sockets;
using System.Text;
using Gatehouse.Ssh.Tests.TestGateway;

namespace Gatehouse.Ssh.Tests.Exec;

public sealed class GatewayAllowingForwarding : GatewayFixture
{
    public GatewayAllowingForwarding() => Hooks.AllowDirectTcpIp = true;
}

public class ForwardingTcpWhenTheHandlerAllowsIt(GatewayAllowingForwarding gateway) : IClassFixture<GatewayAllowingForwarding>
{
    [Fact]
    public async Task Should_relay_a_direct_tcpip_channel_to_the_target()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var shout = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync();
            var text = await new StreamReader(peer.GetStream()).ReadToEndAsync();
            await peer.GetStream().WriteAsync(Encoding.UTF8.GetBytes(text.ToUpperInvariant()));
        });
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var result = await OpenSsh.RunAsync("ssh", [.. OpenSsh.CommonOptions(gateway.Port, gateway.Ed25519Key), "-W", $"127.0.0.1:{port}", "alice@127.0.0.1"],
            input: new MemoryStream("through the gate\n"u8.ToArray()));

        await shout;
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("THROUGH THE GATE\n", result.Text);
    }
}

public class ForwardingTcpByDefault(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Should_refuse_direct_tcpip_channels()
    {
        var result = await OpenSsh.RunAsync("ssh", [.. OpenSsh.CommonOptions(gateway.Port, gateway.Ed25519Key), "-W", "127.0.0.1:9", "alice@127.0.0.1"],
            input: new MemoryStream());

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("stdio forwarding failed", result.Error);
    }
}
