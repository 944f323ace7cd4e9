using System.Net.Http.Json;
using Gatehouse.Authorization.CommandPolicies.AnsweringPolicies;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;

namespace Gatehouse.Authorization.Tests.CommandPolicies.AnsweringPolicies;

/// <summary><see cref="GetCommandPoliciesConsumer"/> on the in-memory test harness and the real store.</summary>
public class When_policies_are_answered_without_a_broker(AnEmptyAuthorizationStoreOnTheTestHarness service)
    : IClassFixture<AnEmptyAuthorizationStoreOnTheTestHarness>
{
    [Fact]
    public async Task Should_answer_the_policies_on_the_targets_labels_and_none_of_another_targets()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var admin = service.Admin();
        foreach (var (name, team) in new[] { ($"hv-db-{suffix}", $"db-{suffix}"), ($"hv-web-{suffix}", $"web-{suffix}") })
        {
            (await AnEmptyAuthorizationStore.Post(admin, "/api/targets", new
            {
                name, address = "10.7.0.6", logins = new[] { "deploy" }, labels = new Dictionary<string, string> { ["team"] = team },
            })).EnsureSuccessStatusCode();
        }

        (await admin.PutAsJsonAsync($"/api/command-policies/hv-no-drop-{suffix}", new
        {
            pattern = "drop database *", action = CommandPolicyAction.Deny, targetLabels = new Dictionary<string, string> { ["team"] = $"db-{suffix}" },
        }, AnEmptyAuthorizationStore.Json)).EnsureSuccessStatusCode();

        var client = service.Harness.GetRequestClient<GetCommandPolicies>();
        var onDb = (await client.GetResponse<CommandPoliciesForSession>(new GetCommandPolicies("hv-anyone", [], $"hv-db-{suffix}"))).Message;
        var onWeb = (await client.GetResponse<CommandPoliciesForSession>(new GetCommandPolicies("hv-anyone", [], $"hv-web-{suffix}"))).Message;

        var policy = Assert.Single(onDb.Policies);
        Assert.Equal(($"hv-no-drop-{suffix}", CommandPatternKind.Glob, CommandPolicyAction.Deny), (policy.Name, policy.PatternKind, policy.Action));
        Assert.Empty(onWeb.Policies);
    }
}
