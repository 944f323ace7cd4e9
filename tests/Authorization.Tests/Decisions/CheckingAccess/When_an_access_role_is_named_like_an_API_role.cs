using System.Net.Http.Json;
using System.Diagnostics;
using System.Net;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.ServiceDefaults.EventStore;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Authorization.Tests.Decisions.CheckingAccess;

/// <summary>
/// API roles (from Authentication, relayed by the gateway in CheckAccess) and access roles (Authorization's roles) are apart:
/// grants made through the admin API, questions asked over RabbitMQ as the gateway asks them.
/// </summary>
[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_an_access_role_is_named_like_an_API_role(AnEmptyAuthorizationStore service)
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Should_give_its_grant_to_its_members_only_not_to_every_API_administrator()
    {
        using var admin = service.Admin();
        var (target, member, apiAdministrator) = ($"ar-db-{_suffix}", $"ar-kim-{_suffix}", $"ar-ann-{_suffix}");
        await Target(admin, target);
        await service.CreateUsersAsync(member, apiAdministrator);
        // Other tests of the collection may have defined it already: it is the same access role either way.
        var defined = await AnEmptyAuthorizationStore.Post(admin, "/api/roles", new { name = "admin", description = "database admins" });
        Assert.True(defined.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Conflict, $"{defined.StatusCode}");
        (await admin.PutAsync($"/api/roles/admin/members/{member}", null)).EnsureSuccessStatusCode();
        await Grant(admin, new { subjectKind = "Role", subject = "admin", targetNames = new[] { target }, logins = new[] { "root" } });

        var refused = Assert.IsType<AccessRefused>(await Check(apiAdministrator, ["admin"], target));
        Assert.Equal(AccessDenialReason.NoMatchingGrant, refused.Reason);
        Assert.IsType<AccessAllowed>(await Check(member, ["user"], target));
    }

    [Fact]
    public async Task Should_give_an_API_role_grant_to_everyone_holding_that_API_role_only()
    {
        using var admin = service.Admin();
        var target = $"ar-api-{_suffix}";
        await Target(admin, target);

        var grant = await Grant(admin, new { subjectKind = "ApiRole", subject = "approver", targetNames = new[] { target }, logins = new[] { "root" } });

        Assert.Equal(GrantSubjectKind.ApiRole, grant.SubjectKind);
        Assert.IsType<AccessAllowed>(await Check($"ar-any-{_suffix}", ["approver"], target));
        Assert.IsType<AccessRefused>(await Check($"ar-any-{_suffix}", ["user"], target));
    }

    [Fact]
    public async Task Should_refuse_a_role_grant_naming_an_API_role_and_say_how_to_grant_the_API_role()
    {
        using var admin = service.Admin();
        var target = $"ar-ref-{_suffix}";
        await Target(admin, target);

        var response = await AnEmptyAuthorizationStore.Post(admin, "/api/grants",
            new { subjectKind = "Role", subject = "soc-analyst", targetNames = new[] { target }, logins = new[] { "root" } });

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, text);
        Assert.Contains("soc-analyst is an API role", text);
        Assert.Contains("--api-role", text);
    }

    [Fact]
    public async Task Should_keep_honouring_a_stored_role_grant_that_named_an_API_role_as_an_API_role_grant()
    {
        using var admin = service.Admin();
        var target = $"ar-old-{_suffix}";
        await Target(admin, target);
        // As written before the split: a Role grant naming an API role no access role is called.
        var grantId = Guid.NewGuid();
        await using (var session = service.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.StartStreamWithAccessEvent(grantId, new GrantIssued(grantId, GrantSubjectKind.Role, "soc-analyst", [target],
                new Dictionary<string, string>(), ["root"], [], null, [], null, false, false, null, "root-admin", null, "before-the-split",
                Guid.NewGuid(), DateTimeOffset.UtcNow.AddDays(-1)));
            await session.SaveChangesAsync();
        }

        // The index catches up with a change stored behind its back on the next refused question; give it time under load.
        var clock = Stopwatch.StartNew();
        object answer;
        do
        {
            answer = await Check($"ar-soc-{_suffix}", ["soc-analyst"], target);
        }
        while (answer is AccessRefused && clock.Elapsed < TimeSpan.FromSeconds(20) && await Pause());

        Assert.IsType<AccessAllowed>(answer);
        Assert.IsType<AccessRefused>(await Check($"ar-usr-{_suffix}", ["user"], target));
        // The operator is shown the grant as decisions read it.
        var shown = await AnEmptyAuthorizationStore.Read<Authorization.Grants.Grant>(await admin.GetAsync($"/api/grants/{grantId}"));
        Assert.Equal(GrantSubjectKind.ApiRole, shown.SubjectKind);
    }

    [Fact]
    public async Task Should_apply_a_command_policy_to_the_API_roles_it_names_and_refuse_an_API_role_given_as_an_access_role()
    {
        using var admin = service.Admin();
        var target = $"ar-pol-{_suffix}";
        await Target(admin, target);
        (await admin.PutAsJsonAsync($"/api/command-policies/ar-approvers-{_suffix}", new
        {
            pattern = "rm -rf *", action = "Deny", targetLabels = new Dictionary<string, string> { ["suite"] = _suffix }, apiRoles = new[] { "approver" },
        }, AnEmptyAuthorizationStore.Json)).EnsureSuccessStatusCode();

        var misnamed = await admin.PutAsJsonAsync($"/api/command-policies/ar-users-{_suffix}", new
        {
            pattern = "rm -rf *", action = "Deny", roles = new[] { "user" },
        }, AnEmptyAuthorizationStore.Json);

        var approver = await service.RequestAsync<GetCommandPolicies, CommandPoliciesForSession>(new GetCommandPolicies("x", ["approver"], target));
        var user = await service.RequestAsync<GetCommandPolicies, CommandPoliciesForSession>(new GetCommandPolicies("x", ["user"], target));
        Assert.Equal([$"ar-approvers-{_suffix}"], approver.Policies.Select(p => p.Name).Where(n => n.EndsWith(_suffix)));
        Assert.DoesNotContain(user.Policies, p => p.Name.EndsWith(_suffix));
        var text = await misnamed.Content.ReadAsStringAsync();
        Assert.True(HttpStatusCode.BadRequest == misnamed.StatusCode, text);
        Assert.Contains("user is an API role: give it in apiRoles", text);
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(200);
        return true;
    }

    private Task<object> Check(string user, string[] apiRoles, string target) =>
        service.CheckAsync(new CheckAccess(user, apiRoles, target, "root", null, true, $"ar-{Guid.NewGuid()}"));

    private async Task Target(HttpClient admin, string name) =>
        (await AnEmptyAuthorizationStore.Post(admin, "/api/targets", new
        {
            name, address = "10.4.4.4", labels = new Dictionary<string, string> { ["suite"] = _suffix }, logins = new[] { "root" },
        })).EnsureSuccessStatusCode();

    private static async Task<Authorization.Grants.Grant> Grant(HttpClient admin, object body) =>
        await AnEmptyAuthorizationStore.Read<Authorization.Grants.Grant>(await AnEmptyAuthorizationStore.Post(admin, "/api/grants", body));
}
