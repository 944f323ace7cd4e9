using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Forwarding;

/// <summary>
/// One ssh connection carrying a command's output and an ssh -L tunnel whose client stops reading (a paused database
/// client): the gateway's connection to the target serves both, and the stalled tunnel must hold back only itself.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_tunnel_stalls_beside_a_session(GatehouseStack stack)
{
    /// <summary>More than every hop can hold (socket buffers, the windows of ssh, sshd and the gateway), so the tunnel really stalls.</summary>
    private const int Sent = 96 * 1024 * 1024;

    [Fact]
    public async Task Should_keep_the_sessions_output_flowing_and_deliver_the_tunnels_bytes_intact_once_read()
    {
        var payload = RandomNumberGenerator.GetBytes(Sent);
        using var destination = new TcpListener(IPAddress.Loopback, 0);
        destination.Start();
        var flow = new Flow();
        _ = Task.Run(() => ServeAsync(destination, flow, payload));
        var user = await stack.CreateUserAsync("stall");
        var target = await stack.RegisterTargetAsync("stall");
        await stack.GrantAsync(user, target, forwardTo: [$"127.0.0.1:{((IPEndPoint)destination.LocalEndpoint).Port}"]);
        var local = Processes.FreePort();
        await using var ticking = new Ticking([.. OpenSsh.Options(stack, user), "-o", "ExitOnForwardFailure=yes",
            "-L", $"127.0.0.1:{local}:127.0.0.1:{((IPEndPoint)destination.LocalEndpoint).Port}", OpenSsh.Destination(user, target)]);
        await Processes.WaitForPortAsync(local);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, local);
        var stream = client.GetStream();
        // The destination sends only to a connection that asked: the port probe above closes without a byte.
        await stream.WriteAsync(new byte[] { 1 });

        // Nothing is read: wait until the destination can send no more, the whole path full.
        var sent = await flow.StalledAsync();
        Assert.True(sent is > 0 and < Sent, $"the destination was not held back: {sent} of {Sent} bytes taken");

        await ticking.AssertStillTickingAsync("the tunnel");

        var received = new MemoryStream();
        await stream.CopyToAsync(received).WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(Sent, received.Length);
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received.ToArray()));
    }

    /// <summary>Sends the payload to the first connection that sends a byte, then closes it.</summary>
    private static async Task ServeAsync(TcpListener listener, Flow flow, byte[] payload)
    {
        while (true)
        {
            using var peer = await listener.AcceptTcpClientAsync();
            if (await peer.GetStream().ReadAsync(new byte[1]) > 0)
            {
                await flow.SendAsync(peer, payload);
                return;
            }
        }
    }
}
