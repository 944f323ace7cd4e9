using System.Text.RegularExpressions;
using Gatehouse.Authorization.CommandPolicies;
using Gatehouse.Authorization.CommandPolicies.AnsweringPolicies;
using Gatehouse.Authorization.Decisions;
using Gatehouse.Authorization.Tests.Decisions;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;

namespace Gatehouse.Authorization.Tests.CommandPolicies;

public class When_command_policies_are_matched_to_a_session
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
        var prodDb = When_access_is_decided.Target("db01", new() { ["env"] = "prod", ["team"] = "db" }, "postgres");
        var devDb = When_access_is_decided.Target("db02", new() { ["env"] = "dev", ["team"] = "db" }, "postgres");
        var index = AccessIndex.Build([prodDb, devDb], [],
        [
            Policy("everywhere", new(), [], []),
            Policy("prod-only", new() { ["env"] = "prod" }, [], []),
            Policy("contractors-on-db", new() { ["team"] = "db" }, ["contractor"], []),
            Policy("api-users-on-db", new() { ["team"] = "db" }, [], ["user"]),
            Policy("removed", new(), [], []) with { Removed = true },
        ], roles: [When_access_is_decided.Role("contractor", "c")]);

        Assert.Equal(["contractors-on-db", "everywhere", "prod-only"], Names(index, "c", [], "db01"));
        Assert.Equal(["everywhere", "prod-only"], Names(index, "e", ["contractor"], "db01"));
        Assert.Equal(["api-users-on-db", "everywhere", "prod-only"], Names(index, "e", ["user"], "db01"));
        Assert.Equal(["everywhere"], Names(index, "e", [], "db02"));
        Assert.Empty(Names(index, "e", [], "unknown"));
    }

    [Fact]
    public void Should_apply_a_policy_for_an_access_role_named_admin_to_its_members_only()
    {
        var db = When_access_is_decided.Target("db01", new() { ["team"] = "db" }, "postgres");
        var index = AccessIndex.Build([db], [], [Policy("admins-no-rm", new(), ["admin"], [])], roles: [When_access_is_decided.Role("admin", "kim")]);

        Assert.Empty(Names(index, "ann", ["admin"], "db01"));
        Assert.Equal(["admins-no-rm"], Names(index, "kim", ["user"], "db01"));
    }

    [Fact]
    public void Should_read_a_stored_policy_role_naming_an_API_role_no_access_role_is_called_as_that_API_role()
    {
        // Written before the split (no API role list): "admin" meant the API role, "dba" the access role.
        var db = When_access_is_decided.Target("db01", new() { ["team"] = "db" }, "postgres");
        var stored = Policy("old", new(), ["admin", "dba"], null);
        var before = AccessIndex.Build([db], [], [stored], roles: [When_access_is_decided.Role("dba", "kim")]);
        var onceDefined = AccessIndex.Build([db], [], [stored], roles: [When_access_is_decided.Role("dba", "kim"), When_access_is_decided.Role("admin", "lee")]);

        Assert.Equal(["old"], Names(before, "ann", ["admin"], "db01"));
        Assert.Equal(["old"], Names(before, "kim", [], "db01"));
        Assert.Empty(Names(before, "lee", [], "db01"));
        Assert.Empty(Names(onceDefined, "ann", ["admin"], "db01"));
        Assert.Equal(["old"], Names(onceDefined, "lee", [], "db01"));
    }

    private static string[] Names(AccessIndex index, string user, string[] apiRoles, string target) =>
        SessionCommandPolicies.For(new GetCommandPolicies(user, apiRoles, target), index).Policies.Select(p => p.Name).Order().ToArray();

    private static CommandPolicy Policy(string name, Dictionary<string, string> labels, string[] roles, string[]? apiRoles) =>
        new(Guid.NewGuid(), name, "rm -rf *", CommandPatternKind.Glob, CommandPolicyAction.Deny, labels, roles, apiRoles, false,
            DateTimeOffset.UnixEpoch, "admin");
}
