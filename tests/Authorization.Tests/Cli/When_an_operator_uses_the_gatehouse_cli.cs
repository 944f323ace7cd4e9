using System.Text.Json;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.TestSupport;

namespace Gatehouse.Authorization.Tests.Cli;

/// <summary>The gatehouse commands against the real service on a real port, with tokens in GATEHOUSE_TOKEN as operators give them.</summary>
[Collection(AuthorizationServiceCollection.Name)]
public class When_an_operator_uses_the_gatehouse_cli(AuthorizationService service)
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Should_register_a_target_grant_it_and_revoke_the_grant()
    {
        var target = $"cli-web-{_suffix}";
        var user = $"cli-user-{_suffix}";
        await service.CreateUsersAsync(user);

        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "targets", "add", target, "--address", "10.8.8.8",
            "--label", "env=prod", "--label", $"team=cli{_suffix}", "--login", "deploy", "--login", "root")).Exit);
        var issued = await Run(As("cli-admin", "admin"), "grants", "issue", "--user", user, "--label", $"team=cli{_suffix}",
            "--login", "deploy", "--window", "mon-sun 00:00-12:00 UTC", "--window", "mon-sun 12:00-00:00 UTC", "--source", "10.0.0.0/8", "--max-session", "01:00:00");
        Assert.Equal(0, issued.Exit);
        var grantId = JsonDocument.Parse(issued.Out).RootElement.GetProperty("id").GetGuid();

        Assert.IsType<AccessAllowed>(await Check(user, target));
        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "grants", "revoke", grantId.ToString(), "--reason", "project over")).Exit);
        Assert.Equal(AccessDenialReason.GrantRevoked, Assert.IsType<AccessRefused>(await Check(user, target)).Reason);

        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "targets", "change", target, "--address", "10.8.8.9", "--port", "2222",
            "--label", "env=prod", "--login", "deploy")).Exit);
        var shown = await Run(As("cli-admin", "admin"), "targets", "show", target);
        Assert.Equal(2222, JsonDocument.Parse(shown.Out).RootElement.GetProperty("port").GetInt32());
        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "targets", "remove", target, "--reason", "decommissioned")).Exit);
        Assert.Equal(AccessDenialReason.UnknownTarget, Assert.IsType<AccessRefused>(await Check(user, target)).Reason);
    }

    [Fact]
    public async Task Should_define_a_role_add_a_member_and_grant_the_role()
    {
        var role = $"cli-role-{_suffix}";
        var target = $"cli-r-{_suffix}";
        var user = $"cli-member-{_suffix}";
        await service.CreateUsersAsync(user);
        var admin = As("cli-admin", "admin");

        Assert.Equal(0, (await Run(admin, "roles", "define", role, "--description", "on-call")).Exit);
        Assert.Equal(0, (await Run(admin, "roles", "add-member", role, user)).Exit);
        Assert.Equal(0, (await Run(admin, "targets", "add", target, "--address", "10.9.1.1", "--login", "deploy")).Exit);
        Assert.Equal(0, (await Run(admin, "grants", "issue", "--role", role, "--target", target, "--login", "deploy")).Exit);

        Assert.IsType<AccessAllowed>(await Check(user, target));
        Assert.Equal(0, (await Run(admin, "roles", "remove-member", role, user)).Exit);
        Assert.IsType<AccessRefused>(await Check(user, target));
    }

    [Fact]
    public async Task Should_show_the_reasons_when_the_service_refuses_input()
    {
        var result = await Run(As("cli-admin", "admin"), "grants", "issue", "--role", "ops", "--target", "web01", "--login", "root",
            "--source", "10.0.0.0/33");

        Assert.Equal(1, result.Exit);
        Assert.Contains("sourceCidrs: '10.0.0.0/33' is not a CIDR network", result.Error);
    }

    [Fact]
    public async Task Should_show_why_a_grant_to_an_unknown_target_is_refused()
    {
        var result = await Run(As("cli-admin", "admin"), "grants", "issue", "--api-role", "user", "--target", $"cli-typo-{_suffix}", "--login", "root");

        Assert.Equal(1, result.Exit);
        Assert.Contains($"targetNames: there is no target named 'cli-typo-{_suffix}'", result.Error);
    }

    [Fact]
    public async Task Should_print_a_warning_when_a_label_selector_matches_no_target_yet()
    {
        var result = await Run(As("cli-admin", "admin"), "grants", "issue", "--api-role", "user", "--label", $"team=cli-none-{_suffix}", "--login", "root");

        Assert.Equal(0, result.Exit);
        Assert.Contains($"Warning: no target has the labels team=cli-none-{_suffix} yet", result.Error);
    }

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
        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "targets", "add", target, "--address", "db.internal", "--login", "postgres")).Exit);

        var asked = await Run(As(requester), "access-requests", "request", target, "--login", "postgres", "--duration", "00:30:00",
            "--reason", "INC-9");
        Assert.Equal(0, asked.Exit);
        var requestId = JsonDocument.Parse(asked.Out).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(1, (await Run(As(requester, "approver"), "access-requests", "approve", requestId)).Exit);
        Assert.Equal(0, (await Run(As("cli-approver", "approver"), "access-requests", "approve", requestId)).Exit);
        Assert.IsType<AccessAllowed>(await Check(requester, target, "postgres"));

        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "policies", "set", $"no-drop-{_suffix}", "--pattern", "(?i)drop\\s+database",
            "--kind", "regex", "--action", "require-approval")).Exit);
        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "policies", "set", $"no-rm-{_suffix}", "--pattern", "rm -r -f",
            "--kind", "command", "--action", "deny")).Exit);
        Assert.Equal(0, (await Run(As("cli-admin", "admin"), "policies", "set", $"deploy-{_suffix}", "--pattern", "bash ./deploy.sh",
            "--kind", "command", "--action", "allow")).Exit);
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

    private Task<object> Check(string user, string target, string login = "deploy") =>
        service.CheckAsync(new CheckAccess(user, [], target, login, "10.1.2.3", false, Guid.NewGuid().ToString()));

    private Task<(int Exit, string Out, string Error)> Run(string token, params string[] args) =>
        InProcessCli.RunAsync("GATEHOUSE_AUTHORIZATION_URL", service.BaseAddress, token, args);
}
