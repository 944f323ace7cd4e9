using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;

namespace Gatehouse.Authorization.Tests.CommandPolicies.AnsweringPolicies;

[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_the_gateway_asks_for_command_policies(AnEmptyAuthorizationStore service)
{
    [Fact]
    public async Task Should_answer_the_policies_scoped_to_the_targets_labels_and_the_users_roles()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var team = $"team-{suffix}";
        using var admin = service.Admin();
        var (contractors, contractor) = ($"contractor-{suffix}", $"carla-{suffix}");
        await service.CreateUsersAsync(contractor);
        (await AnEmptyAuthorizationStore.Post(admin, "/api/roles", new { name = contractors })).EnsureSuccessStatusCode();
        (await admin.PutAsync($"/api/roles/{contractors}/members/{contractor}", null)).EnsureSuccessStatusCode();
        await Target(admin, $"pol-db-{suffix}", team, "prod");
        await Target(admin, $"pol-dev-{suffix}", team, "dev");
        await Policy(admin, $"no-rm-{suffix}", new { pattern = "rm -rf *", action = "Deny", targetLabels = new Dictionary<string, string> { ["team"] = team } });
        await Policy(admin, $"prod-sudo-{suffix}", new
        {
            pattern = "^sudo\\s", patternKind = "Regex", action = "RequireApproval",
            targetLabels = new Dictionary<string, string> { ["team"] = team, ["env"] = "prod" }, roles = new[] { contractors },
        });

        var contractorOnProd = await Ask(contractor, ["user"], $"pol-db-{suffix}");
        var employeeOnProd = await Ask("emil", ["user", contractors], $"pol-db-{suffix}");
        var contractorOnDev = await Ask(contractor, ["user"], $"pol-dev-{suffix}");

        Assert.Equal([$"no-rm-{suffix}", $"prod-sudo-{suffix}"], Names(contractorOnProd));
        Assert.Equal([$"no-rm-{suffix}"], Names(employeeOnProd));
        Assert.Equal([$"no-rm-{suffix}"], Names(contractorOnDev));

        var glob = contractorOnProd.Policies.Single(p => p.Name == $"no-rm-{suffix}");
        Assert.Equal((CommandPatternKind.Glob, CommandPolicyAction.Deny), (glob.PatternKind, glob.Action));
        Assert.Matches(new Regex(glob.Regex!), "rm -rf /var/lib/postgresql");
        Assert.DoesNotMatch(new Regex(glob.Regex!), "ls; rm -rf /");
        Assert.Equal(CommandPolicyAction.RequireApproval, contractorOnProd.Policies.Single(p => p.Name == $"prod-sudo-{suffix}").Action);
    }

    [Fact]
    public async Task Should_answer_command_patterns_and_allow_policies_as_stored()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var admin = service.Admin();
        await Target(admin, $"pol-cmd-{suffix}", $"team-{suffix}", "prod");
        var labels = new Dictionary<string, string> { ["team"] = $"team-{suffix}" };
        await Policy(admin, $"no-rm-r-f-{suffix}", new { pattern = "rm -r -f", patternKind = "Command", action = "Deny", targetLabels = labels });
        await Policy(admin, $"deploy-{suffix}", new { pattern = "bash ./deploy.sh", patternKind = "Command", action = "Allow", targetLabels = labels });

        var answer = await Ask("carla", [], $"pol-cmd-{suffix}");

        var deny = answer.Policies.Single(p => p.Name == $"no-rm-r-f-{suffix}");
        Assert.Equal((CommandPatternKind.Command, CommandPolicyAction.Deny, "rm -r -f", null), (deny.PatternKind, deny.Action, deny.Pattern, deny.Regex));
        var allow = answer.Policies.Single(p => p.Name == $"deploy-{suffix}");
        Assert.Equal((CommandPatternKind.Command, CommandPolicyAction.Allow), (allow.PatternKind, allow.Action));
    }

    [Fact]
    public async Task Should_stop_answering_a_removed_policy()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var admin = service.Admin();
        await Target(admin, $"pol-rm-{suffix}", $"team-{suffix}", "prod");
        await Policy(admin, $"gone-{suffix}", new { pattern = "shutdown*", action = "Deny", targetLabels = new Dictionary<string, string> { ["team"] = $"team-{suffix}" } });

        (await admin.DeleteAsync($"/api/command-policies/gone-{suffix}")).EnsureSuccessStatusCode();

        Assert.Empty((await Ask("carla", [], $"pol-rm-{suffix}")).Policies);
    }

    private static string[] Names(CommandPoliciesForSession answer) => answer.Policies.Select(p => p.Name).Order().ToArray();

    private Task<CommandPoliciesForSession> Ask(string user, string[] apiRoles, string target) =>
        service.RequestAsync<GetCommandPolicies, CommandPoliciesForSession>(new GetCommandPolicies(user, apiRoles, target));

    private static async Task Target(HttpClient admin, string name, string team, string env) =>
        (await AnEmptyAuthorizationStore.Post(admin, "/api/targets",
            new { name, address = "10.3.3.3", labels = new Dictionary<string, string> { ["team"] = team, ["env"] = env }, logins = new[] { "root" } }))
        .EnsureSuccessStatusCode();

    private static async Task Policy(HttpClient admin, string name, object body) =>
        (await admin.PutAsJsonAsync($"/api/command-policies/{name}", body, AnEmptyAuthorizationStore.Json)).EnsureSuccessStatusCode();
}
