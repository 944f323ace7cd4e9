using System.Diagnostics;
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

    private const string Ticking = "while true; do echo tick; sleep 0.2; done";

    [Fact]
    public async Task Should_keep_the_sessions_output_flowing_and_deliver_the_tunnels_bytes_intact_once_read()
    {
        var payload = RandomNumberGenerator.GetBytes(Sent);
        using var destination = new TcpListener(IPAddress.Loopback, 0);
        destination.Start();
        var sending = new Sender(destination, payload);
        var user = await stack.CreateUserAsync("stall");
        var target = await stack.RegisterTargetAsync("stall");
        await stack.GrantAsync(user, target, forwardTo: [$"127.0.0.1:{((IPEndPoint)destination.LocalEndpoint).Port}"]);
        var local = Processes.FreePort();
        var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])[.. OpenSsh.Options(stack, user), "-o", "ExitOnForwardFailure=yes",
                     "-L", $"127.0.0.1:{local}:127.0.0.1:{((IPEndPoint)destination.LocalEndpoint).Port}", OpenSsh.Destination(user, target), Ticking])
        {
            start.ArgumentList.Add(argument);
        }

        using var ssh = Process.Start(start)!;
        var ticks = 0;
        var counting = Task.Run(async () =>
        {
            while (await ssh.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line == "tick")
                {
                    Interlocked.Increment(ref ticks);
                }
            }
        });
        try
        {
            await Processes.WaitForPortAsync(local);
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, local);
            var stream = client.GetStream();
            // The destination sends only to a connection that asked: the port probe above closes without a byte.
            await stream.WriteAsync(new byte[] { 1 });

            // Nothing is read: wait until the destination can send no more, the whole path full.
            await sending.StalledAsync(TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(2));
            Assert.True(sending.Written < Sent, $"the destination sent all {Sent} bytes into a tunnel nobody read");

            var before = Volatile.Read(ref ticks);
            var waited = Stopwatch.StartNew();
            while (Volatile.Read(ref ticks) < before + 5 && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }

            Assert.True(Volatile.Read(ref ticks) >= before + 5,
                $"the command's output stopped while the tunnel beside it stalled: {Volatile.Read(ref ticks) - before} ticks in {waited.Elapsed.TotalSeconds:0} s");

            var received = new MemoryStream();
            await stream.CopyToAsync(received).WaitAsync(TimeSpan.FromMinutes(3));
            Assert.Equal(Sent, received.Length);
            Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received.ToArray()));
        }
        finally
        {
            ssh.Kill();
            await counting.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Sends the payload to the first connection that sends a byte, then closes it; counts what the kernel took.</summary>
    private sealed class Sender
    {
        private long _written;

        public Sender(TcpListener listener, byte[] payload) => _ = Task.Run(() => ServeAsync(listener, payload));

        public long Written => Interlocked.Read(ref _written);

        /// <summary>Waits until nothing more was taken for <paramref name="quiet"/> (after something was).</summary>
        public async Task StalledAsync(TimeSpan quiet, TimeSpan bound)
        {
            var waited = Stopwatch.StartNew();
            var last = -1L;
            var since = Stopwatch.StartNew();
            while (waited.Elapsed < bound)
            {
                var now = Written;
                if (now != last)
                {
                    (last, since) = (now, Stopwatch.StartNew());
                }
                else if (now > 0 && since.Elapsed >= quiet)
                {
                    return;
                }

                await Task.Delay(100);
            }

            throw new TimeoutException($"the destination never stalled ({Written} bytes taken)");
        }

        private async Task ServeAsync(TcpListener listener, byte[] payload)
        {
            while (true)
            {
                using var peer = await listener.AcceptTcpClientAsync();
                var stream = peer.GetStream();
                if (await stream.ReadAsync(new byte[1]) == 0)
                {
                    continue;
                }

                const int Block = 64 * 1024;
                for (var offset = 0; offset < payload.Length; offset += Block)
                {
                    await stream.WriteAsync(payload.AsMemory(offset, Math.Min(Block, payload.Length - offset)));
                    Interlocked.Add(ref _written, Math.Min(Block, payload.Length - offset));
                }

                peer.Client.Shutdown(SocketShutdown.Send);
                return;
            }
        }
    }
}
