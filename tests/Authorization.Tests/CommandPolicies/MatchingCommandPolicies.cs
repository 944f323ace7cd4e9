using System.Text.RegularExpressions;
using Gatehouse.Authorization.CommandPolicies;
using Gatehouse.Authorization.CommandPolicies.AnsweringPolicies;
using Gatehouse.Authorization.Decisions;
using Gatehouse.Authorization.Tests.Decisions;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;

namespace Gatehouse.Authorization.Tests.CommandPolicies;

public class MatchingCommandPolicies
{
    [Theory]
    [InlineData("rm -rf *", "rm -rf /", true)]
    [InlineData("rm -rf *", "sudo rm -rf /", false)]
    [InlineData("shutdown*", "shutdown -h now", true)]
    [InlineData("cat /etc/shadow", "cat /etc/shadow", true)]
    [InlineData("cat /etc/shadow", "cat /etc/shadowy", false)]
    [InlineData("kill -? 1", "kill -9 1", true)]
    [InlineData("echo (x)+[y]", "echo (x)+[y]", true)]
    public void Should_match_a_glob_against_the_whole_command_line(string glob, string command, bool matches)
    {
        Assert.Null(CommandPatterns.Problem(glob, CommandPatternKind.Glob));
        Assert.Equal(matches, Regex.IsMatch(command, CommandPatterns.ToRegex(glob, CommandPatternKind.Glob)!));
    }

    [Theory]
    [InlineData("rm -rf (", CommandPatternKind.Regex)]
    [InlineData("[a-", CommandPatternKind.Regex)]
    [InlineData("", CommandPatternKind.Glob)]
    [InlineData("   ", CommandPatternKind.Regex)]
    [InlineData("$X -rf", CommandPatternKind.Command)]
    [InlineData("r* -rf", CommandPatternKind.Command)]
    [InlineData("  ", CommandPatternKind.Command)]
    public void Should_refuse_an_invalid_pattern_with_a_reason(string pattern, CommandPatternKind kind) =>
        Assert.False(string.IsNullOrWhiteSpace(CommandPatterns.Problem(pattern, kind)));

    [Theory]
    [InlineData("rm -r -f")]
    [InlineData("chmod u+s")]
    [InlineData("rm -r /etc/*")]
    [InlineData("bash ./deploy.sh")]
    public void Should_accept_a_command_pattern_and_give_it_no_regex(string pattern)
    {
        Assert.Null(CommandPatterns.Problem(pattern, CommandPatternKind.Command));
        Assert.Null(CommandPatterns.ToRegex(pattern, CommandPatternKind.Command));
    }

    [Fact]
    public void Should_answer_the_policies_of_the_targets_labels_and_the_users_roles()
    {
        var prodDb = DecidingAccess.Target("db01", new() { ["env"] = "prod", ["team"] = "db" }, "postgres");
        var devDb = DecidingAccess.Target("db02", new() { ["env"] = "dev", ["team"] = "db" }, "postgres");
        var index = AccessIndex.Build([prodDb, devDb], [],
        [
            Policy("everywhere", new(), []),
            Policy("prod-only", new() { ["env"] = "prod" }, []),
            Policy("contractors-on-db", new() { ["team"] = "db" }, ["contractor"]),
            Policy("removed", new(), []) with { Removed = true },
        ]);

        string[] Names(string user, string[] roles, string target) =>
            SessionCommandPolicies.For(new GetCommandPolicies(user, roles, target), index).Policies.Select(p => p.Name).Order().ToArray();

        Assert.Equal(["contractors-on-db", "everywhere", "prod-only"], Names("c", ["contractor"], "db01"));
        Assert.Equal(["everywhere", "prod-only"], Names("e", ["developer"], "db01"));
        Assert.Equal(["everywhere"], Names("e", [], "db02"));
        Assert.Empty(Names("e", [], "unknown"));
    }

    private static CommandPolicy Policy(string name, Dictionary<string, string> labels, string[] roles) =>
        new(Guid.NewGuid(), name, "rm -rf *", CommandPatternKind.Glob, CommandPolicyAction.Deny, labels, roles, false,
            DateTimeOffset.UnixEpoch, "admin");
}
