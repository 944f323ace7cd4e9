using System.Buffers;
using System.Diagnostics;
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
        long written = 0;
        var sending = Task.Run(async () =>
        {
            using var peer = await destination.AcceptTcpClientAsync();
            for (var offset = 0; offset < Sent; offset += 64 * 1024)
            {
                await peer.GetStream().WriteAsync(payload.AsMemory(offset, 64 * 1024));
                Interlocked.Add(ref written, 64 * 1024);
            }

            peer.Client.Shutdown(SocketShutdown.Send);
        });
        using var client = new SshClient(new ConnectionInfo("127.0.0.1", stack.Target.Port, SshTarget.Login,
            new PrivateKeyAuthenticationMethod(SshTarget.Login, new PrivateKeyFile(stack.VaultKey))) { Timeout = TimeSpan.FromSeconds(30) });
        await client.ConnectAsync(CancellationToken.None);
        using var tunnel = await TargetTunnel.OpenAsync(client, "127.0.0.1", (uint)((IPEndPoint)destination.LocalEndpoint).Port, "127.0.0.1", 40000,
            CancellationToken.None);

        // Nothing is read until the destination can send no more.
        var waited = Stopwatch.StartNew();
        var (last, quiet) = (-1L, Stopwatch.StartNew());
        while (quiet.Elapsed < TimeSpan.FromSeconds(3) && waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (Interlocked.Read(ref written) != last)
            {
                (last, quiet) = (Interlocked.Read(ref written), Stopwatch.StartNew());
            }

            await Task.Delay(100);
        }

        Assert.True(last < Sent, "the destination sent everything into a tunnel nobody read");
        Assert.InRange(tunnel.Buffered, 1, TargetTunnel.TargetWindow);
        Assert.Equal("still here\n", client.RunCommand("echo still here").Result);

        var received = new MemoryStream();
        while (true)
        {
            var reading = tunnel.FromTarget.ReadAsync().AsTask();
            if (await Task.WhenAny(reading, Task.Delay(TimeSpan.FromMinutes(1))) != reading)
            {
                Assert.Fail($"the tunnel stopped after {received.Length} of {Sent} bytes ({Interlocked.Read(ref written)} sent, {tunnel.Buffered} held)");
            }

            var result = await reading;
            foreach (var segment in result.Buffer)
            {
                received.Write(segment.Span);
            }

            var length = (int)result.Buffer.Length;
            tunnel.FromTarget.AdvanceTo(result.Buffer.End);
            tunnel.Taken(length);
            Assert.InRange(tunnel.Buffered, 0, TargetTunnel.TargetWindow);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await sending;
        Assert.Equal(Sent, received.Length);
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received.ToArray()));
    }
}
