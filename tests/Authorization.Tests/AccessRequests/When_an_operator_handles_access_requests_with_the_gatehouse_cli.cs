using System.Text.Json;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;

namespace Gatehouse.Authorization.Tests.AccessRequests;

/// <summary>
/// Access requests and command policies through the gatehouse commands against the real service on a real port, with tokens in GATEHOUSE_TOKEN as
/// operators give them.
/// </summary>
[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_an_operator_handles_access_requests_with_the_gatehouse_cli(AnEmptyAuthorizationStore service)
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Should_say_which_role_approving_needs()
    {
        var result = await Run(As("cli-user", "user"), "access-requests", "approve", Guid.NewGuid().ToString());

        Assert.Equal(1, result.Exit);
        Assert.Contains("this needs the approver role and your token carries the role user", result.Error);
        Assert.DoesNotContain("admin token", result.Error);
    }

    [Fact]
    public async Task Should_request_and_approve_just_in_time_access_and_set_a_policy()
    {
        var target = $"cli-db-{_suffix}";
        var requester = $"cli-req-{_suffix}";
        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "targets", "add", target, "--address", "db.internal", "--login", "postgres",
            "--label", $"team=cli{_suffix}")).Exit);

        var asked = await Run(As(requester), "access-requests", "request", target, "--login", "postgres", "--duration", "00:30:00",
            "--reason", "INC-9");
        Assert.Equal(0, asked.Exit);
        var requestId = JsonDocument.Parse(asked.Out).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(1, (await Run(As(requester, "approver"), "access-requests", "approve", requestId)).Exit);
        Assert.Equal(0, (await Run(As("cli-approver", "approver"), "access-requests", "approve", requestId)).Exit);
        Assert.IsType<AccessAllowed>(await service.CheckAsync(requester, target, "postgres"));

        // On this test's own label: a policy for every target would reach the other tests of the shared store.
        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "policies", "set", $"no-drop-{_suffix}", "--pattern", "(?i)drop\\s+database",
            "--kind", "regex", "--action", "require-approval", "--label", $"team=cli{_suffix}")).Exit);
        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "policies", "set", $"no-rm-{_suffix}", "--pattern", "rm -r -f",
            "--kind", "command", "--action", "deny", "--label", $"team=cli{_suffix}")).Exit);
        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "policies", "set", $"deploy-{_suffix}", "--pattern", "bash ./deploy.sh",
            "--kind", "command", "--action", "allow", "--label", $"team=cli{_suffix}")).Exit);
        var refused = await Run(As("cli-admin", "admin"), "policies", "set", $"bad-{_suffix}", "--pattern", "$X -rf", "--kind", "command",
            "--action", "deny");
        Assert.Equal(1, refused.Exit);
        Assert.Contains("is not a program name", refused.Error);
        var policies = await service.RequestAsync<GetCommandPolicies, CommandPoliciesForSession>(new GetCommandPolicies(requester, [], target));
        Assert.Contains(policies.Policies, p => p.Name == $"no-drop-{_suffix}" && p.Action == CommandPolicyAction.RequireApproval);
        Assert.Contains(policies.Policies, p => p.Name == $"no-rm-{_suffix}" && p is { PatternKind: CommandPatternKind.Command, Action: CommandPolicyAction.Deny });
        Assert.Contains(policies.Policies, p => p.Name == $"deploy-{_suffix}" && p is { PatternKind: CommandPatternKind.Command, Action: CommandPolicyAction.Allow });
        Assert.DoesNotContain(policies.Policies, p => p.Name == $"bad-{_suffix}");
    }

    private string As(string user, params string[] roles) => service.Token(user, roles);

    private Task<(int Exit, string Out, string Error)> Run(string token, params string[] args) => service.RunCliAsync(token, args);
}
