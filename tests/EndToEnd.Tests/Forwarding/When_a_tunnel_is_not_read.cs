using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.SessionBroker.Targets;
using Renci.SshNet;

namespace Gatehouse.EndToEnd.Tests.Forwarding;

/// <summary>
/// The gateway's end of a tunnel against the stack's real sshd, read by no one: what it holds of the destination's data
/// stays within the window it gave the target, the target connection stays usable meanwhile, and nothing is lost.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_tunnel_is_not_read(GatehouseStack stack)
{
    private const int Sent = 32 * 1024 * 1024;

    [Fact]
    public async Task Should_hold_no_more_than_the_targets_window_and_deliver_everything_once_read()
    {
        var payload = RandomNumberGenerator.GetBytes(Sent);
        using var destination = new TcpListener(IPAddress.Loopback, 0);
        destination.Start();
        var flow = new Flow();
        var sending = Task.Run(async () =>
        {
            using var peer = await destination.AcceptTcpClientAsync();
            await flow.SendAsync(peer, payload);
        });
        using var client = new SshClient(new ConnectionInfo("127.0.0.1", stack.Target.Port, SshTarget.Login,
            new PrivateKeyAuthenticationMethod(SshTarget.Login, new PrivateKeyFile(stack.VaultKey))) { Timeout = TimeSpan.FromSeconds(30) });
        await client.ConnectAsync(CancellationToken.None);
        using var tunnel = await TargetTunnel.OpenAsync(client, "127.0.0.1", (uint)((IPEndPoint)destination.LocalEndpoint).Port, "127.0.0.1", 40000,
            CancellationToken.None);

        // Nothing is read until the destination can send no more.
        await flow.AssertHeldWithinTheWindowThenDeliveredAsync(tunnel, client, payload, sending);
    }
}
