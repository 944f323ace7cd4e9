using System.Text;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Brokering;

[Collection(GatehouseCollection.Name)]
public sealed class When_a_user_runs_a_command_through_the_gateway(GatehouseStack stack)
{
    [Fact]
    public async Task Should_run_it_on_the_target_with_the_vaulted_credential_and_record_it()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("exec", "web");
        var marker = Path.Combine(stack.Target.Directory, $"ran-{Guid.NewGuid():N}");

        var result = await OpenSsh.SshAsync(stack, user, target, $"echo hello from $(hostname -s) > /dev/null; echo hello; touch {marker}; exit 3");

        Assert.True(result.ExitCode == 3, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal("hello\n", result.Text);
        Assert.True(File.Exists(marker), "the command ran on the target");

        var started = (SessionStarted)(await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name)).Single();
        var events = await stack.SessionEventsAsync(started.SessionId);
        Assert.Collection(events,
            e => Assert.IsType<SessionStarted>(e),
            e =>
            {
                var command = Assert.IsType<CommandExecuted>(e);
                Assert.Equal(CommandCapture.Exec, command.Capture);
                Assert.Equal(1, command.Sequence);
                Assert.Equal(target, command.Target);
                Assert.Equal(SshTarget.Login, command.Login);
                Assert.StartsWith("echo hello from", command.CommandLine);
            },
            e =>
            {
                var ended = Assert.IsType<SessionEnded>(e);
                Assert.Equal(3, ended.ExitStatus);
                Assert.Equal(SessionEndReason.TargetClosed, ended.EndReason);
                var recording = Recording.Read(stack.RecordingDirectory, started.SessionId);
                Assert.Equal(recording.Sha256, ended.RecordingSha256);
                Assert.Equal("hello\n", recording.Output);
            });
    }

    [Fact]
    public async Task Should_keep_what_is_typed_at_a_prompt_without_echo_out_of_the_command_record()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("secret", "sudo");
        await using var ssh = InteractiveSsh.Start(stack, user, target);

        // The prompt is spelled so that the echo of the command line itself does not show it.
        await ssh.TypeAsync("read -s -p $'\\x50assword: ' s; echo; echo length-${#s}\r");
        await ssh.WaitForAsync("Password: ");
        await ssh.TypeAsync("hunter2\r");
        await ssh.WaitForAsync("length-7");
        await ssh.TypeAsync("exit\r");
        await ssh.WaitForExitAsync();

        var commands = (await stack.BrokerEventsAsync(e => e is CommandExecuted c && c.UserName == user.Name)).Cast<CommandExecuted>();
        Assert.Equal(["read -s -p $'\\x50assword: ' s; echo; echo length-${#s}", "[typed without echo: not recorded]", "exit"],
            commands.Select(c => c.CommandLine));
    }

    [Fact]
    public async Task Should_relay_an_interactive_shell_on_a_pty_and_record_what_the_user_saw()
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync("shell", "app");

        var typed = Encoding.UTF8.GetBytes("stty size; tty\recho $((6*7))x\rexit 0\r");
        var result = await OpenSsh.SshAsync(stack, user, target, null, typed, ["-tt", "-o", "SetEnv=LANG=C.UTF-8"]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        Assert.Contains("42x", result.Text);
        Assert.Contains("/dev/pts/", result.Text);

        var started = (SessionStarted)(await stack.BrokerEventsAsync(e => e is SessionStarted s && s.UserName == user.Name)).Single();
        Assert.Equal(SessionKind.Shell, started.Kind);
        var events = await stack.SessionEventsAsync(started.SessionId);
        var commands = events.OfType<CommandExecuted>().ToList();
        Assert.Equal(["stty size; tty", "echo $((6*7))x", "exit 0"], commands.Select(c => c.CommandLine));
        Assert.All(commands, c => Assert.Equal(CommandCapture.InteractiveLine, c.Capture));
        Assert.Equal([1, 2, 3], commands.Select(c => c.Sequence));

        var ended = events.OfType<SessionEnded>().Single();
        var recording = Recording.Read(stack.RecordingDirectory, started.SessionId);
        Assert.Equal(recording.Sha256, ended.RecordingSha256);
        Assert.Equal(result.Text, recording.Output);

        // asciinema itself accepts the file and replays what the user saw. It insists on a terminal, so it runs under
        // script(1), whose terminal adds carriage returns: compare without them.
        var replayed = await Processes.RunAsync("script", ["-qec", $"asciinema cat {recording.Path}", "/dev/null"]);
        Assert.True(replayed.ExitCode == 0, replayed.Error + replayed.Text);
        Assert.Equal(result.Text.Replace("\r", ""), replayed.Text.Replace("\r", ""));
    }
}
