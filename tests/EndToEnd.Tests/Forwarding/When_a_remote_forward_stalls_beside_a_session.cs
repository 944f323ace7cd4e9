using System.Diagnostics;
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

    private const string Ticking = "while true; do echo tick; sleep 0.2; done";

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
        var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])[.. OpenSsh.Options(stack, user), "-o", "ExitOnForwardFailure=yes",
                     "-R", $"127.0.0.1:{listen}:127.0.0.1:{((IPEndPoint)service.LocalEndpoint).Port}", OpenSsh.Destination(user, target), Ticking])
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
            await stack.BrokerEventEventuallyAsync(e => e is ForwardingOpened { Kind: ForwardingKind.Remote } o && o.UserName == user.Name);
            // A process on the target (its sshd listens on this machine's loopback) sends to the forwarded port.
            using var sender = new TcpClient();
            await sender.ConnectAsync(IPAddress.Loopback, listen);
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
            // The service on the client's side takes the connection and reads nothing until the whole path is full.
            using var accepted = await service.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromMinutes(1));
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

            Assert.True(last is > 0 and < Sent, $"the sender was not held back: {last} of {Sent} bytes taken");

            var before = Volatile.Read(ref ticks);
            var counted = Stopwatch.StartNew();
            while (Volatile.Read(ref ticks) < before + 5 && counted.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }

            Assert.True(Volatile.Read(ref ticks) >= before + 5,
                $"the command's output stopped while the -R connection beside it stalled: {Volatile.Read(ref ticks) - before} ticks in {counted.Elapsed.TotalSeconds:0} s");

            var received = new MemoryStream();
            await accepted.GetStream().CopyToAsync(received).WaitAsync(TimeSpan.FromMinutes(3));
            await sending;
            Assert.Equal(Sent, received.Length);
            Assert.Equal(SHA256.HashData(payload), SHA256.HashData(received.ToArray()));
        }
        finally
        {
            ssh.Kill();
            await counting.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
