using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gatehouse.EndToEnd.Tests.Forwarding;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Sessions;

/// <summary>
/// One ssh connection carrying a command whose output the user's side stops reading (a terminal scrolled back, a
/// pipe not drained) and an ssh -L tunnel: the gateway's connection to the target serves both, and the unread session
/// must hold back only itself, then deliver all of its output once read.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_session_is_not_read_beside_a_tunnel(GatehouseStack stack)
{
    /// <summary>More than every hop can hold (pipe and socket buffers, the windows of ssh, sshd and the gateway).</summary>
    private const long Output = 64L * 1024 * 1024;

    private const int Echoed = 256 * 1024;

    [Fact]
    public async Task Should_keep_the_tunnel_flowing_and_deliver_the_sessions_output_intact_once_read()
    {
        await using var destination = EchoServer.Start();
        var user = await stack.CreateUserAsync("unread");
        var target = await stack.RegisterTargetAsync("unread");
        await stack.GrantAsync(user, target, forwardTo: [$"127.0.0.1:{destination.Port}"]);
        var local = Processes.FreePort();
        var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])[.. OpenSsh.Options(stack, user), "-o", "ExitOnForwardFailure=yes",
                     "-L", $"127.0.0.1:{local}:127.0.0.1:{destination.Port}", OpenSsh.Destination(user, target), $"head -c {Output} /dev/zero"])
        {
            start.ArgumentList.Add(argument);
        }

        using var ssh = Process.Start(start)!;
        // The user types now and then (nothing the command reads): a session whose output waits for the user is not idle
        // while they type, so the idle limit does not end it (and free the target connection) during the test.
        using var typing = new CancellationTokenSource();
        var typed = TypeAsync(ssh, typing.Token);
        try
        {
            await Processes.WaitForPortAsync(local);
            // ssh's stdout is not read: give the command time to fill every hop up to the gateway's connection to the target.
            await Task.Delay(TimeSpan.FromSeconds(5));

            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, local);
            var stream = client.GetStream();
            var payload = new byte[Echoed];
            Random.Shared.NextBytes(payload);
            var back = new byte[Echoed];
            var echoed = 0;
            var echoing = Task.Run(async () =>
            {
                while (Volatile.Read(ref echoed) < Echoed && await stream.ReadAsync(back.AsMemory(echoed)) is > 0 and var read)
                {
                    Interlocked.Add(ref echoed, read);
                }
            });
            var waited = Stopwatch.StartNew();
            await stream.WriteAsync(payload);
            await Task.WhenAny(echoing, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.True(Volatile.Read(ref echoed) == Echoed,
                $"the tunnel stopped while the session beside it was not read: {Volatile.Read(ref echoed)} of {Echoed} bytes echoed in {waited.Elapsed.TotalSeconds:0} s");
            Assert.Equal(payload, back);
            // ssh waits for its forwarded connections before it exits.
            client.Close();

            await typing.CancelAsync();
            await typed;

            // Read at last: every byte of the command's output arrives, and the session ends as the command did.
            var buffer = new byte[1024 * 1024];
            long received = 0;
            var reading = ssh.StandardOutput.BaseStream;
            while (await reading.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromMinutes(1)) is > 0 and var count)
            {
                received += count;
            }

            Assert.Equal(Output, received);
            await ssh.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(0, ssh.ExitCode);
        }
        finally
        {
            if (!ssh.HasExited)
            {
                ssh.Kill();
            }
        }
    }

    private static async Task TypeAsync(Process ssh, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await ssh.StandardInput.WriteLineAsync();
                await ssh.StandardInput.FlushAsync(stop);
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
        }
        catch (OperationCanceledException)
        {
            // The test reads the output now.
        }
    }
}
