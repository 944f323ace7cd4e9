using System.Text;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Controlling;

[Collection(GatehouseCollection.Name)]
public sealed class When_a_command_policy_forbids_a_command(GatehouseStack stack)
{
    [Fact]
    public async Task Should_not_run_an_exec_that_hides_it_in_a_compound_line()
    {
        var (user, target, victim) = await ArrangeAsync("execblk");

        var result = await OpenSsh.SshAsync(stack, user, target, $"ls {stack.Target.Directory} > /dev/null; echo $(rm -rf {victim})");

        Assert.Equal(126, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Contains($"'rm -rf {victim}' is blocked by policy", result.Error);
        Assert.True(File.Exists(victim), "the target still has the file");
        var blocked = (CommandBlocked)(await stack.BrokerEventsAsync(e => e is CommandBlocked b && b.UserName == user.Name)).Single();
        Assert.Equal($"rm -rf {victim}", blocked.BlockedCommand);
        Assert.Equal(CommandCapture.Exec, blocked.Capture);
        Assert.Empty(await stack.BrokerEventsAsync(e => e is CommandExecuted c && c.UserName == user.Name));
    }

    [Theory]
    [InlineData("env rm -fr {0}", "no-recursive-delete")]
    [InlineData("echo 'rm -r -f {0}' | sh", "no-recursive-delete")]
    [InlineData("X=rm; $X -rf {0}", "unverifiable-line")]
    public async Task Should_not_run_it_in_another_spelling_or_when_it_cannot_be_known(string line, string policy)
    {
        var (user, target, victim) = await ArrangeAsync("spellblk");

        var result = await OpenSsh.SshAsync(stack, user, target, string.Format(line, victim));

        Assert.Equal(126, result.ExitCode);
        Assert.Contains("gatehouse: ", result.Error);
        Assert.True(File.Exists(victim), "the target still has the file");
        var blocked = (CommandBlocked)(await stack.BrokerEventsAsync(e => e is CommandBlocked b && b.UserName == user.Name)).Single();
        Assert.Equal(policy, blocked.PolicyName);
    }

    [Fact]
    public async Task Should_not_run_a_typed_line_that_contains_it_and_keep_the_shell_usable()
    {
        var (user, target, victim) = await ArrangeAsync("ttyblk");

        // Each line typed once the one before has shown its effect, as a person types. This failed now and then: the
        // refusal's Ctrl-C left keys bash had read ahead on its line (the next line ran behind them), and a line the
        // loaded target echoed after 250 ms was recorded as typed without echo.
        await using var ssh = InteractiveSsh.Start(stack, user, target);
        await ssh.TypeAsync("echo ready-$((1+1))\r");
        await ssh.WaitForAsync("ready-2");
        // "rn" corrected to "rm" with backspace, chained after a harmless command; then the session goes on.
        await ssh.TypeAsync($"true && rn\x7fm -rf {victim}\r");
        await ssh.WaitForAsync($"'rm -rf {victim}' is blocked by policy");
        await ssh.TypeAsync("echo still-$((20+1))\r");
        await ssh.WaitForAsync("still-21");
        await ssh.TypeAsync("exit\r");

        Assert.Equal(0, await ssh.WaitForExitAsync());
        Assert.True(File.Exists(victim), "the target still has the file");
        var events = await stack.BrokerEventsAsync(e => e is CommandBlocked b && b.UserName == user.Name
                                                        || e is CommandExecuted c && c.UserName == user.Name);
        Assert.Equal("echo ready-$((1+1))", Assert.IsType<CommandExecuted>(events[0]).CommandLine);
        var blocked = Assert.IsType<CommandBlocked>(events[1]);
        Assert.Equal($"true && rm -rf {victim}", blocked.CommandLine);
        Assert.Equal(CommandCapture.InteractiveLine, blocked.Capture);
        Assert.Equal(["echo still-$((20+1))", "exit"], events.Skip(2).Cast<CommandExecuted>().Select(c => c.CommandLine));
    }

    [Fact]
    public async Task Should_refuse_a_line_typed_before_the_shell_started_and_keep_the_shell()
    {
        var (user, target, victim) = await ArrangeAsync("earlyblk");

        // Everything typed at once reaches the target while its shell is still starting: a refusal's Ctrl-C there ended it.
        var typed = Encoding.UTF8.GetBytes($"true && rn\x7fm -rf {victim}\recho still-$((20+1))\rexit\r");
        var result = await OpenSsh.SshAsync(stack, user, target, null, typed, ["-tt"]);

        Assert.Contains($"'rm -rf {victim}' is blocked by policy", result.Text);
        Assert.Contains("still-21", result.Text);
        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(victim), "the target still has the file");
        var events = await stack.BrokerEventsAsync(e => e is CommandBlocked b && b.UserName == user.Name
                                                        || e is CommandExecuted c && c.UserName == user.Name);
        Assert.Equal($"true && rm -rf {victim}", Assert.IsType<CommandBlocked>(events[0]).CommandLine);
        Assert.Equal(["echo still-$((20+1))", "exit"], events.Skip(1).Cast<CommandExecuted>().Select(c => c.CommandLine));
    }

    [Fact]
    public async Task Should_refuse_a_line_completed_by_the_shell_that_the_gateway_cannot_read()
    {
        var (user, target, victim) = await ArrangeAsync("tabblk");
        var partial = victim[..^4];

        var typed = Encoding.UTF8.GetBytes($"rm -f {partial}\t\recho after\rexit\r");
        var result = await OpenSsh.SshAsync(stack, user, target, null, typed, ["-tt"]);

        Assert.Contains("Tab (completion) is not followed by the gateway", result.Text);
        Assert.Contains("after", result.Text);
        Assert.True(File.Exists(victim), "the completed line never ran");
        var blocked = (CommandBlocked)(await stack.BrokerEventsAsync(e => e is CommandBlocked b && b.UserName == user.Name)).Single();
        Assert.Equal("unverifiable-line", blocked.PolicyName);
    }

    private async Task<(GatehouseUser, string, string)> ArrangeAsync(string prefix)
    {
        var (user, target, _) = await stack.AUserWithAGrantAsync(prefix, "guarded");
        await stack.DenyCommandsAsync("no-recursive-delete", "rm -rf *");
        var victim = Path.Combine(stack.Target.Directory, $"precious-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(victim, "keep me");
        return (user, target, victim);
    }
}
