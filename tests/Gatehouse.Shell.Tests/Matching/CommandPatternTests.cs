namespace Gatehouse.Shell.Tests.Matching;

public sealed class CommandPatternTests
{
    private static LineVerdict Evaluate(string pattern, string line, CommandRuleAction action = CommandRuleAction.Deny) =>
        new CommandPolicySet([new CommandRule("rule", pattern, CommandRuleForm.Command, action)]).Evaluate(ShellReader.Read(line));

    [Theory]
    [InlineData("rm -r -f", "rm -rf x")]
    [InlineData("rm -rf", "rm --force -R x")]
    [InlineData("rm --recursive --force", "rm -fr x")]
    [InlineData("rm -r -f", "rm -r x -f")]
    [InlineData("rm -r -f", "sudo /bin/rm -rvf x")]
    [InlineData("chmod u+s", "chmod u+s /bin/x")]
    [InlineData("chmod u+s", "chmod 4755 x")]
    [InlineData("chmod u+s", "chmod 04755 x")]
    [InlineData("chmod u+s", "chmod 6755 x")]
    [InlineData("chmod u+s", "chmod +s x")]
    [InlineData("chmod u+s", "chmod a+s x")]
    [InlineData("chmod u+s", "chmod u=rwxs x")]
    [InlineData("chmod u+s", "chmod -R u+s d")]
    [InlineData("chmod u+s", "chmod g-w,u+s x")]
    [InlineData("chmod 4000", "sudo chmod 4711 x")]
    [InlineData("chmod +s", "chmod g+s x")]
    [InlineData("chmod +s", "chmod 2755 x")]
    [InlineData("chmod g+s", "chmod ug+s x")]
    [InlineData("rm -r /etc", "rm -r /etc")]
    [InlineData("rm -r /etc", "rm -rf /etc/nginx")]
    [InlineData("rm -r /etc", "rm -r /tmp/../etc/x")]
    [InlineData("rm -r /etc", "rm -r //etc/./x")]
    [InlineData("rm -r /etc/*", "rm -R /etc/")]
    [InlineData("rm /", "rm -f x")]
    [InlineData("git push --force", "git push --force")]
    [InlineData("git push --force", "git push origin main --force")]
    [InlineData("git push*", "git push-all")]
    [InlineData("git push --force", "git push --forc")]
    [InlineData("reboot", "sudo /sbin/reboot now")]
    [InlineData("shred -u", "shred --remove -n 3 x")]
    public void A_rule_matches_every_spelling_of_what_it_names(string pattern, string line)
    {
        Assert.IsType<LineBlocked>(Evaluate(pattern, line));
    }

    [Theory]
    [InlineData("rm -r -f", "rm -r x")]
    [InlineData("rm -r -f", "rm -- -rf")]
    [InlineData("rm -r -f", "rmdir -r -f")]
    [InlineData("rm -r -f", "find . -exec rm -r {} +")]
    [InlineData("chmod u+s", "chmod 755 x")]
    [InlineData("chmod u+s", "chmod u-s x")]
    [InlineData("chmod u+s", "chmod g+s x")]
    [InlineData("chmod u+s", "chmod 2755 x")]
    [InlineData("chmod u+s", "chmod -s x")]
    [InlineData("chmod u+s", "chmod o+s x")]
    [InlineData("rm -r /etc", "rm -r /tmp/x")]
    [InlineData("rm -r /etc", "rm -r /etcetera")]
    [InlineData("rm -r /etc", "rm /etc/x")]
    [InlineData("git push --force", "git push")]
    [InlineData("git push --force", "git pull --force")]
    [InlineData("git push --force", "git push --follow-tags")]
    [InlineData("reboot", "echo reboot")]
    public void A_rule_lets_what_it_does_not_name_run(string pattern, string line)
    {
        Assert.IsType<LineAllowed>(Evaluate(pattern, line));
    }

    [Theory]
    [InlineData("chmod u+s", "chmod $MODE x")]
    [InlineData("rm -r /etc", "rm -r x")]
    [InlineData("rm -r /etc", "rm -r ~/x")]
    [InlineData("rm -r /etc", "rm -r $D")]
    [InlineData("git push --force", "git $SUB --force")]
    [InlineData("rm -r -f", "ls | xargs rm -r")]
    public void A_word_that_could_make_the_rule_apply_is_refused(string pattern, string line)
    {
        var refused = Assert.IsType<LineRefused>(Evaluate(pattern, line));
        Assert.Contains("could make policy 'rule' apply", refused.Reason);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("$X -rf")]
    [InlineData("r?m")]
    [InlineData("   ")]
    public void A_pattern_that_names_no_program_is_invalid(string pattern)
    {
        Assert.NotNull(CommandPolicySet.Validate(pattern, CommandRuleForm.Command));
    }

    [Fact]
    public void An_invalid_rule_matches_everything_rather_than_nothing()
    {
        var set = new CommandPolicySet([new CommandRule("broken", "(", CommandRuleForm.Regex, CommandRuleAction.Deny)]);

        Assert.IsType<LineBlocked>(set.Evaluate(ShellReader.Read("ls")));
    }
}
