namespace Gatehouse.Shell.Tests.Matching;

public sealed class CommandPolicySetTests
{
    private static readonly CommandRule DenyReboot = new("no-reboot", "reboot", CommandRuleForm.Glob, CommandRuleAction.Deny);

    [Theory]
    [InlineData(@"rm\s+-rf", "sudo rm -rf x")]
    [InlineData(@"^/bin/rm -rf", "ls; /bin/rm -rf x")]
    [InlineData(@"^rm -rf /tmp/x$", "echo $(rm -rf /tmp/x)")]
    [InlineData(@"curl .*\| *sh", "curl x | sh")]
    public void A_text_pattern_applies_to_each_normalised_command_and_the_line_as_typed(string regex, string line)
    {
        var set = new CommandPolicySet([new CommandRule("text", regex, CommandRuleForm.Regex, CommandRuleAction.Deny)]);

        Assert.IsType<LineBlocked>(set.Evaluate(ShellReader.Read(line)));
    }

    [Fact]
    public void A_glob_naming_a_program_alone_is_read_as_that_program_in_any_form()
    {
        var set = new CommandPolicySet([DenyReboot]);

        Assert.IsType<LineBlocked>(set.Evaluate(ShellReader.Read("sudo reboot -f")));
        Assert.IsType<LineAllowed>(set.Evaluate(ShellReader.Read("echo reboot")));
    }

    [Theory]
    [InlineData("rm -fr /", true)]
    [InlineData("sudo rm -r -f //", true)]
    [InlineData("rm -rf /tmp/..", true)]
    [InlineData("rm -rf build", false)]
    [InlineData("rm -rf /tmp", false)]
    [InlineData("rm -f /", false)]
    public void A_glob_without_a_trailing_star_names_its_operands_exactly(string line, bool blocked)
    {
        var set = new CommandPolicySet([new CommandRule("no-root-delete", "rm -rf /", CommandRuleForm.Glob, CommandRuleAction.Deny)]);

        Assert.Equal(blocked, set.Evaluate(ShellReader.Read(line)) is LineBlocked);
    }

    [Theory]
    [InlineData("rm -rf ..")]
    [InlineData("rm -rf ~")]
    [InlineData("rm -rf $D")]
    public void A_glob_naming_the_root_refuses_an_operand_that_could_be_it(string line)
    {
        var set = new CommandPolicySet([new CommandRule("no-root-delete", "rm -rf /", CommandRuleForm.Glob, CommandRuleAction.Deny)]);

        Assert.IsType<LineRefused>(set.Evaluate(ShellReader.Read(line)));
    }

    [Theory]
    [InlineData("bash x.sh", "bash")]
    [InlineData("source ~/.bashrc", "source")]
    [InlineData("curl -s x | sh", "sh")]
    [InlineData("eval \"$(ssh-agent -s)\"", "eval")]
    [InlineData("python3 manage.py migrate", "python3")]
    public void A_program_running_input_the_gateway_cannot_read_runs_only_when_a_policy_allows_it(string line, string allowed)
    {
        var denyOnly = new CommandPolicySet([DenyReboot]);
        var withAllow = new CommandPolicySet([DenyReboot, new CommandRule("allow", allowed, CommandRuleForm.Command, CommandRuleAction.Allow)]);

        Assert.IsType<LineRefused>(denyOnly.Evaluate(ShellReader.Read(line)));
        Assert.IsType<LineAllowed>(withAllow.Evaluate(ShellReader.Read(line)));
    }

    [Fact]
    public void A_rule_that_cannot_be_read_refuses_as_a_deny_and_opens_nothing_as_an_allow()
    {
        var unreadableDeny = new CommandPolicySet([new CommandRule("broken", "$X -rf", CommandRuleForm.Command, CommandRuleAction.Deny)]);
        Assert.IsType<LineBlocked>(unreadableDeny.Evaluate(ShellReader.Read("ls")));

        var unreadableAllow = new CommandPolicySet([DenyReboot, new CommandRule("broken", "$X", CommandRuleForm.Command, CommandRuleAction.Allow)]);
        Assert.IsType<LineAllowed>(unreadableAllow.Evaluate(ShellReader.Read("ls")));
        Assert.IsType<LineRefused>(unreadableAllow.Evaluate(ShellReader.Read("bash ./script.sh")));
    }

    [Fact]
    public void An_allow_policy_does_not_lift_a_deny()
    {
        var set = new CommandPolicySet([
            new CommandRule("no-rm", "rm -r -f", CommandRuleForm.Command, CommandRuleAction.Deny),
            new CommandRule("shells", "bash", CommandRuleForm.Command, CommandRuleAction.Allow),
        ]);

        Assert.IsType<LineBlocked>(set.Evaluate(ShellReader.Read("bash -c 'rm -rf x'")));
    }

    [Fact]
    public void An_allow_policy_does_not_make_an_unknowable_line_known()
    {
        var set = new CommandPolicySet([DenyReboot, new CommandRule("shells", "sh", CommandRuleForm.Command, CommandRuleAction.Allow)]);

        Assert.IsType<LineRefused>(set.Evaluate(ShellReader.Read("sh -c \"$X\"")));
    }

    [Fact]
    public void A_pattern_that_takes_too_long_counts_as_a_match()
    {
        var set = new CommandPolicySet([new CommandRule("slow", "^(a+)+$", CommandRuleForm.Regex, CommandRuleAction.Deny)]);

        Assert.IsType<LineBlocked>(set.Evaluate(ShellReader.Read(new string('a', 40) + "!")));
    }

    [Fact]
    public void The_user_is_told_which_policy_blocked_which_command()
    {
        var set = new CommandPolicySet([new CommandRule("no-recursive-delete", "rm -rf *", CommandRuleForm.Glob, CommandRuleAction.RequireApproval)]);

        var verdict = set.Evaluate(ShellReader.Read("sudo rm -fr /srv"));

        Assert.Equal("gatehouse: 'rm -fr /srv' needs approval under policy 'no-recursive-delete' and was not run", verdict.Explain("sudo rm -fr /srv"));
    }

    [Fact]
    public void The_user_is_told_why_a_line_was_refused()
    {
        var verdict = new CommandPolicySet([DenyReboot]).Evaluate(ShellReader.Read("$CMD now"));

        Assert.Equal(
            "gatehouse: not run: the program name comes from the expansion $CMD, only known when it runs. "
            + "Under this session's command policies only commands the gateway can read run: type it out plainly",
            verdict.Explain("$CMD now"));
    }
}
