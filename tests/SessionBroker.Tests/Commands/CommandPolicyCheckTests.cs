using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.SessionBroker.Commands;

namespace Gatehouse.SessionBroker.Tests.Commands;

public sealed class CommandPolicyCheckTests
{
    // "rm -rf *" as Authorization translates the glob: anchored, '*' any run of characters.
    private static readonly SessionCommandPolicy NoRecursiveDelete =
        new(Guid.NewGuid(), "no-recursive-delete", "rm -rf *", CommandPatternKind.Glob, @"^rm -rf .*\z", CommandPolicyAction.Deny);

    private static readonly CommandPolicyCheck Check = new([NoRecursiveDelete]);

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
    public void Should_find_the_forbidden_command_wherever_it_hides(string line)
    {
        var violation = Check.Check(line);

        Assert.NotNull(violation);
        Assert.Equal("rm -rf /tmp/x", violation.Command.Normalized);
        Assert.Same(NoRecursiveDelete, violation.Policy);
    }

    [Theory]
    [InlineData("ls -la /tmp")]
    [InlineData("rm /tmp/x")]
    [InlineData("echo 'rm -rf /tmp/x is dangerous'")]
    public void Should_let_other_commands_run(string line) => Assert.Null(Check.Check(line));

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
        var approval = NoRecursiveDelete with { Action = CommandPolicyAction.RequireApproval };

        var message = CommandPolicyCheck.Explain(new CommandPolicyCheck([approval]).Check("rm -rf /srv")!);

        Assert.Equal("gatehouse: 'rm -rf /srv' needs approval under policy 'no-recursive-delete' and was not run", message);
    }

    [Fact]
    public void Should_allow_everything_without_policies() => Assert.Null(new CommandPolicyCheck([]).Check("rm -rf /"));
}
