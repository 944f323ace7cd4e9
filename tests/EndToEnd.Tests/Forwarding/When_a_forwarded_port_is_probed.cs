using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Forwarding;

/// <summary>
/// ssh -L to a destination that talks at once (a database greeting, a stream), with clients that connect and hang up
/// straight away (health checks, port probes): each hang-up closes a channel while the gateway is writing to it. A write
/// given up half way used to leave a partial packet on the connection, and the client dropped the whole connection with
/// "Bad packet length" (seen in the forwarding benchmark when it waited for the forwarded port); an end of data racing the
/// target's close made the target drop the gateway's whole connection ("ieof packet referred to nonexistent channel"); and a
/// window's worth arriving before the tunnel took its window over was refused as excess, leaving the forward open with
/// nothing coming. (The gateway also sends nothing on a channel after its CLOSE now: the client reuses the number.)
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_forwarded_port_is_probed(GatehouseStack stack)
{
    private const int Probes = 40;

    [Fact]
    public async Task Should_keep_the_connection_and_carry_the_next_forward_intact()
    {
        var pattern = new byte[1 << 20];
        new Random(4254).NextBytes(pattern);
        using var destination = new TcpListener(IPAddress.Loopback, 0);
        destination.Start();
        using var stop = new CancellationTokenSource();
        var talking = TalkToEveryoneAsync(destination, pattern, stop.Token);
        var user = await stack.CreateUserAsync("probed");
        var target = await stack.RegisterTargetAsync("probed");
        var destinationPort = ((IPEndPoint)destination.LocalEndpoint).Port;
        await stack.GrantAsync(user, target, forwardTo: [$"127.0.0.1:{destinationPort}"]);
        var local = Processes.FreePort();
        var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])[.. OpenSsh.Options(stack, user), "-N", "-o", "ExitOnForwardFailure=yes",
                     "-L", $"127.0.0.1:{local}:127.0.0.1:{destinationPort}", OpenSsh.Destination(user, target)])
        {
            start.ArgumentList.Add(argument);
        }

        using var ssh = Process.Start(start)!;
        var errors = ssh.StandardError.ReadToEndAsync();
        var step = -1;
        try
        {
            await Processes.WaitForPortAsync(local);
            for (var i = 0; i < Probes; i++)
            {
                step = i;
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, local);
                // Let the destination's bytes start flowing towards this channel, then hang up without reading them.
                await probe.GetStream().ReadExactlyAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
                probe.Client.Close(0);
            }

            step = Probes;
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, local);
            var received = new byte[8 * pattern.Length];
            await client.GetStream().ReadExactlyAsync(received).AsTask().WaitAsync(TimeSpan.FromMinutes(1));
            for (var block = 0; block < 8; block++)
            {
                Assert.True(received.AsSpan(block * pattern.Length, pattern.Length).SequenceEqual(pattern), $"block {block} differs");
            }

            Assert.False(ssh.HasExited, $"ssh left: {(ssh.HasExited ? await errors : "")}");
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            // Which connection failed, and what the gateway recorded of the forwards (a refusal says why).
            var recorded = await stack.BrokerEventsAsync(x => x is ForwardingRefused or ForwardingClosed && x.ToString()!.Contains(user.Name));
            throw new InvalidOperationException($"connection {step} of {Probes} failed, ssh {(ssh.HasExited ? $"left: {await errors}" : "still runs")}; "
                                                + string.Join("; ", recorded), e);
        }

        finally
        {
            if (!ssh.HasExited)
            {
                ssh.Kill();
            }

            await stop.CancelAsync();
            destination.Stop();
            await talking;
        }
    }

    /// <summary>Sends the pattern over and over to each connection until it hangs up.</summary>
    private static async Task TalkToEveryoneAsync(TcpListener listener, byte[] pattern, CancellationToken stop)
    {
        var peers = new List<Task>();
        try
        {
            while (true)
            {
                var peer = await listener.AcceptTcpClientAsync(stop);
                peers.Add(Task.Run(async () =>
                {
                    using (peer)
                    {
                        try
                        {
                            while (true)
                            {
                                await peer.GetStream().WriteAsync(pattern, stop);
                            }
                        }
                        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
                        {
                            // It hung up, or the test is over.
                        }
                    }
                }, CancellationToken.None));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The test is over.
        }

        await Task.WhenAll(peers);
    }
}
