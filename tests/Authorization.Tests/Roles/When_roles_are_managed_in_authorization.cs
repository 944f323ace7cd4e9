using System.Net;
using Gatehouse.Authorization.Roles;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.ServiceDefaults.EventStore;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Authorization.Tests.Roles;

[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_roles_are_managed_in_authorization(AnEmptyAuthorizationStore service)
{
    private readonly string _role = $"dba-{Guid.NewGuid():N}"[..16];
    private readonly string _target = $"role-db-{Guid.NewGuid():N}"[..20];
    private readonly string _user = $"role-user-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Should_give_a_member_the_roles_grants_and_take_them_away_at_once()
    {
        using var admin = service.Admin();
        await SetUpAsync(admin);
        Assert.IsType<AccessRefused>(await Check());

        (await admin.PutAsync($"/api/roles/{_role}/members/{_user}", null)).EnsureSuccessStatusCode();
        Assert.IsType<AccessAllowed>(await Check());

        var role = await AnEmptyAuthorizationStore.Read<Role>(await admin.DeleteAsync($"/api/roles/{_role}/members/{_user}"));
        Assert.DoesNotContain(_user, role.Members);
        Assert.Equal(AccessDenialReason.NoMatchingGrant, Assert.IsType<AccessRefused>(await Check()).Reason);

        var events = await service.EventsOfStreamAsync(role.Id);
        Assert.Collection(events, e => Assert.IsType<RoleDefined>(e), e => Assert.IsType<RoleMemberAdded>(e), e => Assert.IsType<RoleMemberRemoved>(e));
    }

    [Fact]
    public async Task Should_refuse_a_member_another_instance_removed()
    {
        using var admin = service.Admin();
        var role = await SetUpAsync(admin);
        (await admin.PutAsync($"/api/roles/{_role}/members/{_user}", null)).EnsureSuccessStatusCode();
        Assert.IsType<AccessAllowed>(await Check());

        await using (var session = service.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.AppendAccessEvent(role.Id, new RoleMemberRemoved(role.Id, _role, _user, "other-admin", null, "elsewhere",
                Guid.NewGuid(), DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        Assert.Equal(AccessDenialReason.NoMatchingGrant, Assert.IsType<AccessRefused>(await Check()).Reason);
    }

    [Fact]
    public async Task Should_refuse_a_member_who_is_not_a_user_and_store_nothing()
    {
        using var admin = service.Admin();
        var role = await SetUpAsync(admin);

        var response = await admin.PutAsync($"/api/roles/{_role}/members/no-such-member", null);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, text);
        Assert.Contains("there is no user named 'no-such-member': create the user first", text);
        Assert.Collection(await service.EventsOfStreamAsync(role.Id), e => Assert.IsType<RoleDefined>(e));
    }

    [Fact]
    public async Task Should_refuse_a_second_role_of_the_same_name()
    {
        using var admin = service.Admin();
        await SetUpAsync(admin);

        var again = await AnEmptyAuthorizationStore.Post(admin, "/api/roles", new { name = _role.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    private async Task<Role> SetUpAsync(HttpClient admin)
    {
        await service.CreateUsersAsync(_user);
        var role = await AnEmptyAuthorizationStore.Read<Role>(await AnEmptyAuthorizationStore.Post(admin, "/api/roles",
            new { name = _role, description = "database administrators" }));
        (await AnEmptyAuthorizationStore.Post(admin, "/api/targets", new
        {
            name = _target, address = "10.2.2.2", labels = new Dictionary<string, string> { ["team"] = _role }, logins = new[] { "postgres" },
        })).EnsureSuccessStatusCode();
        (await AnEmptyAuthorizationStore.Post(admin, "/api/grants", new
        {
            subjectKind = "Role", subject = _role, targetLabels = new Dictionary<string, string> { ["team"] = _role }, logins = new[] { "postgres" },
        })).EnsureSuccessStatusCode();
        return role;
    }

    private Task<object> Check() =>
        service.CheckAsync(new CheckAccess(_user, ["user"], _target, "postgres", null, true, Guid.NewGuid().ToString()));
}
