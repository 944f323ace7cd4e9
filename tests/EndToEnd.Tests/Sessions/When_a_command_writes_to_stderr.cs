using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Sessions;

/// <summary>
/// A command's stderr stays stderr through the gateway, as with ssh straight to the target: scripts that drop it
/// (2>/dev/null), rsync, git and Ansible read stdout alone.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_command_writes_to_stderr(GatehouseStack stack)
{
    [Fact]
    public async Task Should_reach_the_users_stderr_apart_from_stdout_and_be_recorded_as_seen()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("stderr", "web");

        // Paced, so that the target's sshd reads each line before the next is written: its two pipes are read in no set order.
        var result = await OpenSsh.SshAsync(stack, user, target, "echo out 1; sleep 0.2; echo err 1 >&2; sleep 0.2; echo out 2; sleep 0.2; echo err 2 >&2");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal("out 1\nout 2\n", result.Text);
        Assert.Equal("err 1\nerr 2\n", result.Error);

        var started = (SessionStarted)(await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name)).Single();
        var ended = (SessionEnded)(await stack.SessionEventsAsync(started.SessionId)).Last();
        Assert.Equal(SessionEndReason.TargetClosed, ended.EndReason);
        var output = Recording.Read(stack.RecordingDirectory, started.SessionId).Output;
        Assert.Equal(["out 1", "err 1", "out 2", "err 2"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
