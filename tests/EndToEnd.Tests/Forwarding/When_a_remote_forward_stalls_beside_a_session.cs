using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Forwarding;

/// <summary>
/// One ssh connection carrying a command's output and an ssh -R connection whose service on the client's side accepts and
/// does not read: the gateway's connection to the target serves both, and the stalled connection must hold back only itself.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_remote_forward_stalls_beside_a_session(GatehouseStack stack)
{
    /// <summary>More than every hop can hold (socket buffers, the windows of sshd, the gateway and ssh), so the connection really stalls.</summary>
    private const int Sent = 96 * 1024 * 1024;

    [Fact]
    public async Task Should_keep_the_sessions_output_flowing_and_deliver_the_connections_bytes_intact_once_read()
    {
        var payload = RandomNumberGenerator.GetBytes(Sent);
        using var service = new TcpListener(IPAddress.Loopback, 0);
        service.Start();
        var listen = Processes.FreePort();
        var user = await stack.CreateUserAsync("rstall");
        var target = await stack.RegisterTargetAsync("rstall");
        await stack.GrantAsync(user, target, remoteForwardPorts: [$"{listen}"]);
        await using var ticking = new Ticking([.. OpenSsh.Options(stack, user), "-o", "ExitOnForwardFailure=yes",
            "-R", $"127.0.0.1:{listen}:127.0.0.1:{((IPEndPoint)service.LocalEndpoint).Port}", OpenSsh.Destination(user, target)]);
        await stack.BrokerEventEventuallyAsync(e => e is ForwardingOpened { Kind: ForwardingKind.Remote } o && o.UserName == user.Name);
        // A process on the target (its sshd listens on this machine's loopback) sends to the forwarded port.
        using var sender = new TcpClient();
        await sender.ConnectAsync(IPAddress.Loopback, listen);
        var flow = new Flow();
        var sending = flow.SendAsync(sender, payload);
        // The service on the client's side takes the connection and reads nothing until the whole path is full.
        using var accepted = await service.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromMinutes(1));
        var sent = await flow.StalledAsync();
        Assert.True(sent is > 0 and < Sent, $"the sender was not held back: {sent} of {Sent} bytes taken");

        await ticking.AssertStillTickingAsync("the -R connection");

        var received = new MemoryStream();
        await accepted.GetStream().CopyToAsync(received).WaitAsync(TimeSpan.FromMinutes(3));
        await sending;
        Assert.Equal(Sent, received.Length);
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received.ToArray()));
    }
}
