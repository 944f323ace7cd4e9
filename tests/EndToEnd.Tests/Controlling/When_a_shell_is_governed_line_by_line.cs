using System.Text;
using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Controlling;

/// <summary>Under a deny policy the target's shell runs only lines the gateway read exactly: on a terminal, without one, and started by an exec.</summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_shell_is_governed_line_by_line(GatehouseStack stack)
{
    [Fact]
    public async Task Should_cancel_a_typed_line_edited_with_keys_the_gateway_does_not_follow()
    {
        var (user, target, victim) = await ArrangeAsync("keysblk");
        await using var ssh = InteractiveSsh.Start(stack, user, target);
        await ssh.TypeAsync("echo ready-$((0+1))\r");
        await ssh.WaitForAsync("ready-1");

        // Yank back a killed line; recall a line put into the shell's history; complete a file name.
        await ssh.TypeAsync($"rm -rf {victim}\x15\x19\r");
        await ssh.WaitForAsync("Ctrl-Y is not followed by the gateway");
        await ssh.TypeAsync("echo mark-$((1+1))\r");
        await ssh.WaitForAsync("mark-2");
        await ssh.TypeAsync($"history -s \"rm -rf {victim}\"\r\x1b[A\r");
        await ssh.WaitForAsync("history (Up/Down/PgUp/PgDn) is not followed");
        await ssh.TypeAsync("echo mark-$((2+1))\r");
        await ssh.WaitForAsync("mark-3");
        await ssh.TypeAsync($"rm -rf {victim[..^4]}\t\r");
        await ssh.WaitForAsync("Tab (completion) is not followed");
        // Ordinary editing still runs, recorded as the line it made: a typo fixed with backspace, Ctrl-U, arrows, a paste.
        await ssh.TypeAsync("ech0\x7fo junk\u0015echo ok\x1b[D\x1b[Dr\x1b[C\x1b[C-$((3+1))\r");
        await ssh.WaitForAsync("rok-4");
        await ssh.TypeAsync("\x1b[200~echo pasted-$((4+1))\x1b[201~\r");
        await ssh.WaitForAsync("pasted-5");
        await ssh.TypeAsync("exit\r");
        await ssh.WaitForExitAsync();

        Assert.True(File.Exists(victim), "the target still has the file");
        var blocked = (await stack.BrokerEventsAsync(e => e is CommandBlocked b && b.UserName == user.Name)).Cast<CommandBlocked>().ToList();
        Assert.Equal(3, blocked.Count);
        Assert.All(blocked, b => Assert.Equal("unverifiable-line", b.PolicyName));
        var executed = (await stack.BrokerEventsAsync(e => e is CommandExecuted c && c.UserName == user.Name)).Cast<CommandExecuted>();
        Assert.Equal(["echo ready-$((0+1))", "echo mark-$((1+1))", $"history -s \"rm -rf {victim}\"", "echo mark-$((2+1))", "echo rok-$((3+1))",
            "echo pasted-$((4+1))", "exit"], executed.Select(c => c.CommandLine));
    }

    [Fact]
    public async Task Should_check_and_record_every_line_of_a_shell_without_a_terminal()
    {
        var (user, target, victim) = await ArrangeAsync("notty");
        var script = $"echo one\nrm -rf {victim}; : \x15\nrm -rf {victim}\n\x1b[200~echo pasted\nif true; then\n  echo two\nfi\n";

        var result = await OpenSsh.SshAsync(stack, user, target, null, Encoding.UTF8.GetBytes(script), ["-T"]);

        Assert.Equal("one\ntwo\n", result.Text);
        Assert.Contains($"'rm -rf {victim}' is blocked by policy", result.Error);
        Assert.Contains("U+0015", result.Error);
        Assert.True(File.Exists(victim), "the target still has the file");
        var blocked = (await stack.BrokerEventsAsync(e => e is CommandBlocked b && b.UserName == user.Name)).Cast<CommandBlocked>().ToList();
        Assert.Equal([$"rm -rf {victim}; : \x15", $"rm -rf {victim}", "\x1b[200~echo pasted"], blocked.Select(b => b.CommandLine));
        var executed = (await stack.BrokerEventsAsync(e => e is CommandExecuted c && c.UserName == user.Name)).Cast<CommandExecuted>();
        Assert.Equal(["echo one", "if true; then\n  echo two\nfi"], executed.Select(c => c.CommandLine));
        // The record names the simple commands next to the line, from the same reading the policy was applied to.
        Assert.Equal(["echo one", "true", "echo two"], executed.SelectMany(c => c.Commands!).Select(c => string.Join(' ', [c.Program, .. c.Arguments])));
        Assert.Equal([("rm", $"-rf {victim}")], blocked[1].Commands!.Select(c => (c.Program, string.Join(' ', c.Arguments))));
    }

    [Fact]
    public async Task Should_govern_an_exec_that_starts_a_shell_like_a_shell_session()
    {
        var (user, target, victim) = await ArrangeAsync("execsh");

        await using (var ssh = InteractiveSsh.Start(stack, user, target, "bash -i"))
        {
            await ssh.TypeAsync("echo ready-$((0+1))\r");
            await ssh.WaitForAsync("ready-1");
            await ssh.TypeAsync($"rm -fr {victim}\r");
            await ssh.WaitForAsync($"'rm -fr {victim}' is blocked by policy");
            await ssh.TypeAsync("echo after-$((1+1))\r");
            await ssh.WaitForAsync("after-2");
            await ssh.TypeAsync("exit\r");
            await ssh.WaitForExitAsync();
        }

        var piped = await OpenSsh.SshAsync(stack, user, target, "bash", Encoding.UTF8.GetBytes($"echo piped\nrm -rf {victim}\n"));

        Assert.Equal("piped\n", piped.Text);
        Assert.Contains($"'rm -rf {victim}' is blocked by policy", piped.Error);
        Assert.True(File.Exists(victim), "the target still has the file");
        var blocked = (await stack.BrokerEventsAsync(e => e is CommandBlocked b && b.UserName == user.Name)).Cast<CommandBlocked>();
        Assert.Equal([$"rm -fr {victim}", $"rm -rf {victim}"], blocked.Select(b => b.CommandLine));
        var executed = (await stack.BrokerEventsAsync(e => e is CommandExecuted c && c.UserName == user.Name)).Cast<CommandExecuted>();
        Assert.Equal([("bash -i", CommandCapture.Exec), ("echo ready-$((0+1))", CommandCapture.InteractiveLine), ("echo after-$((1+1))", CommandCapture.InteractiveLine), ("exit", CommandCapture.InteractiveLine),
            ("bash", CommandCapture.Exec), ("echo piped", CommandCapture.InteractiveLine)], executed.Select(c => (c.CommandLine, c.Capture)));
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
