using Gatehouse.Contracts;
using Gatehouse.EndToEnd.Tests.Support;

namespace Gatehouse.EndToEnd.Tests.Controlling;

/// <summary>
/// Under a deny policy a program that runs input the gateway cannot read (a script file, an interpreter) is refused until an
/// allow policy names it; a command-form policy names a program and its options in any spelling. Each test labels its own
/// target, so its policies reach no other test's sessions.
/// </summary>
[Collection(GatehouseCollection.Name)]
public sealed class When_a_policy_allows_a_program(GatehouseStack stack)
{
    [Theory]
    [InlineData("bash {0}/wipe.sh", "bash {0}", "bash runs the script file")]
    [InlineData("python3 -c 'import shutil; shutil.rmtree(\"{1}\")'", "python3", "python3 runs code the gateway does not read")]
    public async Task Should_refuse_it_under_a_deny_policy_and_run_it_once_an_allow_policy_names_it(string line, string allowed, string reason)
    {
        var (user, target, labels) = await ArrangeAsync("allowrun");
        await stack.SetCommandPolicyAsync($"no-recursive-delete-{labels["case"]}", "rm -rf *", CommandPatternKind.Glob, CommandPolicyAction.Deny, labels);
        var scripts = Directory.CreateDirectory(Path.Combine(stack.Target.Directory, $"scripts-{labels["case"]}")).FullName;
        var victim = Directory.CreateDirectory(Path.Combine(stack.Target.Directory, $"precious-{labels["case"]}")).FullName;
        await File.WriteAllTextAsync(Path.Combine(victim, "data"), "keep me");
        await File.WriteAllTextAsync(Path.Combine(scripts, "wipe.sh"), $"rm -rf {victim}\n");
        var command = string.Format(line, scripts, victim);

        var refused = await OpenSsh.SshAsync(stack, user, target, command);

        Assert.Equal(126, refused.ExitCode);
        Assert.Contains(reason, refused.Error);
        Assert.True(Directory.Exists(victim), "the refused program never ran");
        var blocked = (CommandBlocked)(await stack.BrokerEventsAsync(e => e is CommandBlocked b && b.UserName == user.Name)).Single();
        Assert.Equal(("unverifiable-line", command), (blocked.PolicyName, blocked.CommandLine));

        await stack.SetCommandPolicyAsync($"allow-{labels["case"]}", string.Format(allowed, scripts), CommandPatternKind.Command,
            CommandPolicyAction.Allow, labels);
        var ran = await OpenSsh.SshAsync(stack, user, target, command);

        Assert.True(ran.ExitCode == 0, $"exit {ran.ExitCode}: {ran.Error}");
        Assert.False(Directory.Exists(victim), "the allowed program ran (and did what its input said: the gateway cannot read it)");
        var executed = (CommandExecuted)(await stack.BrokerEventsAsync(e => e is CommandExecuted c && c.UserName == user.Name)).Single();
        Assert.Equal(command, executed.CommandLine);
        Assert.Contains(executed.Commands!, c => c.Program == allowed.Split(' ')[0]);
    }

    [Fact]
    public async Task Should_still_refuse_a_denied_command_next_to_an_allowed_program()
    {
        var (user, target, labels) = await ArrangeAsync("allownot");
        var victim = Path.Combine(stack.Target.Directory, $"precious-{labels["case"]}");
        await File.WriteAllTextAsync(victim, "keep me");
        await stack.SetCommandPolicyAsync($"no-recursive-delete-{labels["case"]}", "rm -rf *", CommandPatternKind.Glob, CommandPolicyAction.Deny, labels);
        await stack.SetCommandPolicyAsync($"allow-python-{labels["case"]}", "python3", CommandPatternKind.Command, CommandPolicyAction.Allow, labels);

        var result = await OpenSsh.SshAsync(stack, user, target, $"python3 -c 'print(1)'; rm -fr {victim}");

        Assert.Equal(126, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.True(File.Exists(victim), "the target still has the file");
        var blocked = (CommandBlocked)(await stack.BrokerEventsAsync(e => e is CommandBlocked b && b.UserName == user.Name)).Single();
        Assert.Equal($"no-recursive-delete-{labels["case"]}", blocked.PolicyName);
    }

    [Theory]
    [InlineData("rm -r -f", "rm -fr {0}")]
    [InlineData("rm -r -f", "env /bin/rm --force --recursive {0}")]
    [InlineData("chmod u+s", "chmod 4755 {0}")]
    public async Task Should_block_the_program_a_command_policy_names_in_any_spelling(string pattern, string line)
    {
        var (user, target, labels) = await ArrangeAsync("cmdform");
        var victim = Path.Combine(stack.Target.Directory, $"precious-{labels["case"]}");
        await File.WriteAllTextAsync(victim, "keep me");
        File.SetUnixFileMode(victim, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var policy = $"no-{pattern.Split(' ')[0]}-{labels["case"]}";
        await stack.SetCommandPolicyAsync(policy, pattern, CommandPatternKind.Command, CommandPolicyAction.Deny, labels);

        var blocked = await OpenSsh.SshAsync(stack, user, target, string.Format(line, victim));
        var allowed = await OpenSsh.SshAsync(stack, user, target, $"ls {victim}");

        Assert.Equal(126, blocked.ExitCode);
        Assert.Contains($"is blocked by policy '{policy}'", blocked.Error);
        Assert.True(File.Exists(victim), "the target still has the file");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(victim));
        Assert.Equal(0, allowed.ExitCode);
        var events = await stack.BrokerEventsAsync(e => e is CommandBlocked b && b.UserName == user.Name || e is CommandExecuted c && c.UserName == user.Name);
        Assert.Equal(policy, Assert.IsType<CommandBlocked>(events[0]).PolicyName);
        Assert.Equal($"ls {victim}", Assert.IsType<CommandExecuted>(events[1]).CommandLine);
    }

    private async Task<(GatehouseUser, string, Dictionary<string, string>)> ArrangeAsync(string prefix)
    {
        var labels = new Dictionary<string, string> { ["case"] = $"{prefix}-{Guid.NewGuid():N}"[..24] };
        var (user, target, _) = await stack.AUserWithAGrantAsync(prefix, prefix, labels: labels);
        return (user, target, labels);
    }
}
