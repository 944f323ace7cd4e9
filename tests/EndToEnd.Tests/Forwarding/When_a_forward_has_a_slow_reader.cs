using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Forwarding;

/// <summary>
/// ssh -L where one end stops reading: every hop stops taking bytes in turn (the gateway among them, through the channel
/// windows and its bounded buffer for the target's data), so the writer stalls after a bounded amount, and nothing is
/// lost when the reader comes back.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_forward_has_a_slow_reader(GatehouseStack stack)
{
    /// <summary>
    /// What may be in flight when the writer stalls: on loopback each of the three TCP connections may hold up to ~10 MiB in
    /// its two socket buffers, ssh and sshd a channel window (2 MiB) each, the gateway one channel window from the client and
    /// at most 1 MiB from the target. A hop that buffered without bound would let the writer go on past this.
    /// </summary>
    private const long Bound = 64L << 20;

    private static readonly TimeSpan Stalled = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Should_stop_taking_the_clients_bytes_while_the_destination_does_not_read()
    {
        using var destination = new TcpListener(IPAddress.Loopback, 0);
        destination.Start();
        var (user, local, ssh) = await TunnelAsync("slowdst", ((IPEndPoint)destination.LocalEndpoint).Port);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, local);
            using var reader = await AcceptAsync(destination);

            var (written, pending) = await WriteUntilStalledAsync(client.GetStream());

            Assert.InRange(written, 1, Bound);
            var draining = CountToEndAsync(reader.GetStream());
            await pending;
            client.Client.Shutdown(SocketShutdown.Send);
            var total = written + Block.Length;
            Assert.Equal(total, await draining.WaitAsync(TimeSpan.FromMinutes(2)));
            reader.Client.Shutdown(SocketShutdown.Send);
            var closed = (ForwardingClosed)await stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed { BytesFromClient: > 0 } c && c.UserName == user.Name);
            Assert.Equal(total, closed.BytesFromClient);
        }
        finally
        {
            ssh.Kill();
        }
    }

    [Fact]
    public async Task Should_stop_reading_the_destination_while_the_client_does_not_read()
    {
        using var destination = new TcpListener(IPAddress.Loopback, 0);
        destination.Start();
        var (user, local, ssh) = await TunnelAsync("slowcli", ((IPEndPoint)destination.LocalEndpoint).Port);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, local);
            using var writer = await AcceptAsync(destination);

            var (written, pending) = await WriteUntilStalledAsync(writer.GetStream());

            Assert.InRange(written, 1, Bound);
            var reading = CountToEndAsync(client.GetStream());
            await pending;
            writer.Client.Shutdown(SocketShutdown.Send);
            var total = written + Block.Length;
            Assert.Equal(total, await reading.WaitAsync(TimeSpan.FromMinutes(2)));
            client.Client.Shutdown(SocketShutdown.Send);
            var closed = (ForwardingClosed)await stack.BrokerEventEventuallyAsync(e => e is ForwardingClosed { BytesToClient: > 0 } c && c.UserName == user.Name);
            Assert.Equal(total, closed.BytesToClient);
        }
        finally
        {
            ssh.Kill();
        }
    }

    private static readonly byte[] Block = new byte[1 << 20];

    /// <summary>
    /// Writes 1 MiB blocks until one has not been taken for <see cref="Stalled"/> (or the bound is passed, which fails the
    /// test); returns what was taken before and the write still waiting.
    /// </summary>
    private static async Task<(long Written, Task Pending)> WriteUntilStalledAsync(NetworkStream stream)
    {
        long written = 0;
        while (written <= Bound)
        {
            var write = stream.WriteAsync(Block).AsTask();
            if (await Task.WhenAny(write, Task.Delay(Stalled)) != write)
            {
                return (written, write);
            }

            await write;
            written += Block.Length;
        }

        return (written, Task.CompletedTask);
    }

    private static async Task<long> CountToEndAsync(NetworkStream stream)
    {
        var buffer = new byte[1 << 20];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>
    /// Waiting for the forwarded port opened (and closed) a first, empty forward, so the destination gets two connections:
    /// the probe's reaches its end without a byte, the client's stays open (no one sends on it yet). Nothing is read here.
    /// </summary>
    private static async Task<TcpClient> AcceptAsync(TcpListener listener)
    {
        var peers = new List<TcpClient>();
        var waited = Stopwatch.StartNew();
        while (peers.Count < 2)
        {
            peers.Add(await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(60)));
        }

        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (peers.FindIndex(p => p.Client.Poll(0, SelectMode.SelectRead) && p.Client.Available == 0) is var probe and >= 0)
            {
                peers[probe].Dispose();
                return peers[1 - probe];
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("neither connection to the destination ended: which one is the client's is unknown");
    }

    private async Task<(GatehouseUser User, int LocalPort, Process Ssh)> TunnelAsync(string prefix, int destinationPort)
    {
        var user = await stack.CreateUserAsync(prefix);
        var target = await stack.RegisterTargetAsync(prefix);
        await stack.GrantAsync(user, target, forwardTo: [$"127.0.0.1:{destinationPort}"]);
        var local = Processes.FreePort();
        var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])[.. OpenSsh.Options(stack, user), "-N", "-o", "ExitOnForwardFailure=yes",
                     "-L", $"127.0.0.1:{local}:127.0.0.1:{destinationPort}", OpenSsh.Destination(user, target)])
        {
            start.ArgumentList.Add(argument);
        }

        var ssh = Process.Start(start)!;
        await Processes.WaitForPortAsync(local);
        return (user, local, ssh);
    }
}
