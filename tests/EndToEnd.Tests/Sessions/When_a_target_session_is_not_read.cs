using System.Diagnostics;
using Gatehouse.EndToEnd.Tests.Support;
using Gatehouse.SessionBroker.Targets;
using Renci.SshNet;

namespace Gatehouse.EndToEnd.Tests.Sessions;

/// <summary>
/// The gateway's end of a session channel against the stack's real sshd, read by no one: what it holds of the command's
/// output stays within the window it gave the target, the target connection stays usable meanwhile, and nothing is lost.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_target_session_is_not_read(GatehouseStack stack)
{
    private const long Output = 32L * 1024 * 1024;

    [Fact]
    public async Task Should_hold_no_more_than_the_targets_window_and_deliver_everything_once_read()
    {
        using var client = new SshClient(new ConnectionInfo("127.0.0.1", stack.Target.Port, SshTarget.Login,
            new PrivateKeyAuthenticationMethod(SshTarget.Login, new PrivateKeyFile(stack.VaultKey))) { Timeout = TimeSpan.FromSeconds(30) });
        await client.ConnectAsync(CancellationToken.None);
        using var session = TargetChannel.Open(client);
        Assert.True(session.Execute($"head -c {Output} /dev/zero; echo done >&2"));

        // Nothing is read until the target can send no more: its output began, then stopped for 3 s (a loaded machine
        // can take longer than that to start the command).
        var waited = Stopwatch.StartNew();
        var (last, quiet) = (0L, Stopwatch.StartNew());
        while ((last == 0 || quiet.Elapsed < TimeSpan.FromSeconds(3)) && waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (session.Buffered != last)
            {
                (last, quiet) = (session.Buffered, Stopwatch.StartNew());
            }

            await Task.Delay(100);
        }

        Assert.InRange(session.Buffered, 1, TargetChannel.TargetWindow);
        Assert.Equal("still here\n", client.RunCommand("echo still here").Result);

        long stdout = 0;
        var stderr = new MemoryStream();
        while (await session.FromTarget.WaitToReadAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1)))
        {
            while (session.FromTarget.TryRead(out var bytes))
            {
                if (bytes.Stderr)
                {
                    stderr.Write(bytes.Data.Span);
                }
                else
                {
                    stdout += bytes.Data.Length;
                }

                session.Taken(bytes.Data.Length);
                Assert.InRange(session.Buffered, 0, TargetChannel.TargetWindow);
            }
        }

        Assert.Equal(Output, stdout);
        Assert.Equal("done\n", System.Text.Encoding.UTF8.GetString(stderr.ToArray()));
        Assert.Equal(0, (await session.Closed.WaitAsync(TimeSpan.FromSeconds(30))).ExitStatus);
    }
}
