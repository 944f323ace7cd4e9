using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.SessionBroker.Targets;
using Microsoft.Extensions.Logging.Abstractions;
using Renci.SshNet;

namespace Gatehouse.EndToEnd.Tests.Forwarding;

/// <summary>
/// The gateway's end of a connection to a port the stack's real sshd listens on for it (ssh -R), read by no one: what it
/// holds of the connecting side's data stays within the window it gave the target, the target connection stays usable
/// meanwhile, and nothing is lost once it is read, to the connecting side's end of data.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_remote_connection_is_not_read(GatehouseStack stack)
{
    private const int Sent = 32 * 1024 * 1024;

    [Fact]
    public async Task Should_hold_no_more_than_the_targets_window_and_deliver_everything_once_read()
    {
        var payload = RandomNumberGenerator.GetBytes(Sent);
        using var client = new SshClient(new ConnectionInfo("127.0.0.1", stack.Target.Port, SshTarget.Login,
            new PrivateKeyAuthenticationMethod(SshTarget.Login, new PrivateKeyFile(stack.VaultKey))) { Timeout = TimeSpan.FromSeconds(30) });
        await client.ConnectAsync(CancellationToken.None);
        var arrived = new TaskCompletionSource<ArrivedConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var listener = await TargetListener.StartAsync(client, IPAddress.Loopback, 0, connection =>
        {
            arrived.TrySetResult(connection);
            return Task.CompletedTask;
        }, NullLogger.Instance, CancellationToken.None);

        // A process on the target (its sshd listens on this machine's loopback) connects to the port and sends.
        using var sender = new TcpClient();
        await sender.ConnectAsync(IPAddress.Loopback, (int)listener.BoundPort);
        var connection = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(((IPEndPoint)sender.Client.LocalEndPoint!).Port, (int)connection.OriginatorPort);
        using var tunnel = connection.Accept();
        long written = 0;
        var sending = Task.Run(async () =>
        {
            for (var offset = 0; offset < Sent; offset += 64 * 1024)
            {
                await sender.GetStream().WriteAsync(payload.AsMemory(offset, 64 * 1024));
                Interlocked.Add(ref written, 64 * 1024);
            }

            sender.Client.Shutdown(SocketShutdown.Send);
        });

        // Nothing is read until the connecting side can send no more.
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

        Assert.True(last < Sent, "the connecting side sent everything into a connection nobody read");
        Assert.InRange(tunnel.Buffered, 1, TargetTunnel.TargetWindow);
        Assert.Equal("still here\n", client.RunCommand("echo still here").Result);

        var received = new MemoryStream();
        while (true)
        {
            var reading = tunnel.FromTarget.ReadAsync().AsTask();
            if (await Task.WhenAny(reading, Task.Delay(TimeSpan.FromMinutes(1))) != reading)
            {
                Assert.Fail($"the connection stopped after {received.Length} of {Sent} bytes ({Interlocked.Read(ref written)} sent, {tunnel.Buffered} held)");
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
