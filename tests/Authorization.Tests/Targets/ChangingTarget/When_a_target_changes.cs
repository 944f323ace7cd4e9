using System.Net;
using System.Net.Http.Json;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;

namespace Gatehouse.Authorization.Tests.Targets.ChangingTarget;

[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_a_target_changes(AnEmptyAuthorizationStore service) : IAsyncLifetime
{
    private readonly string _target = $"chg-{Guid.NewGuid():N}"[..20];
    private readonly string _team = $"chg{Guid.NewGuid():N}"[..16];
    private readonly string _user = $"chg-user-{Guid.NewGuid():N}"[..20];

    public async Task InitializeAsync()
    {
        using var admin = service.Admin();
        await service.CreateUsersAsync(_user);
        (await AnEmptyAuthorizationStore.Post(admin, "/api/targets", new
        {
            name = _target, address = "10.6.6.6", labels = new Dictionary<string, string> { ["team"] = _team }, logins = new[] { "root", "deploy" },
        })).EnsureSuccessStatusCode();
        (await AnEmptyAuthorizationStore.Post(admin, "/api/grants", new
        {
            subjectKind = "User", subject = _user, targetLabels = new Dictionary<string, string> { ["team"] = _team }, logins = new[] { "*" },
        })).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Should_follow_its_new_labels_and_logins_at_once()
    {
        using var admin = service.Admin();
        Assert.IsType<AccessAllowed>(await Check("deploy"));

        var changed = await admin.PutAsJsonAsync($"/api/targets/{_target}", new
        {
            address = "10.6.6.7", port = 2022, labels = new Dictionary<string, string> { ["team"] = _team, ["env"] = "prod" }, logins = new[] { "root" },
        }, AnEmptyAuthorizationStore.Json);
        changed.EnsureSuccessStatusCode();

        var allowed = Assert.IsType<AccessAllowed>(await Check("root"));
        Assert.Equal(("10.6.6.7", 2022), (allowed.TargetAddress, allowed.TargetPort));
        Assert.Equal(AccessDenialReason.UnknownLogin, Assert.IsType<AccessRefused>(await Check("deploy")).Reason);

        (await admin.PutAsJsonAsync($"/api/targets/{_target}", new
        {
            address = "10.6.6.7", labels = new Dictionary<string, string> { ["team"] = "someone-else" }, logins = new[] { "root" },
        }, AnEmptyAuthorizationStore.Json)).EnsureSuccessStatusCode();
        Assert.Equal(AccessDenialReason.NoMatchingGrant, Assert.IsType<AccessRefused>(await Check("root")).Reason);
    }

    [Fact]
    public async Task Should_refuse_every_new_session_once_removed_and_keep_its_name_reserved()
    {
        using var admin = service.Admin();

        (await AnEmptyAuthorizationStore.Post(admin, $"/api/targets/{_target}/remove", new { reason = "decommissioned" })).EnsureSuccessStatusCode();

        Assert.Equal(AccessDenialReason.UnknownTarget, Assert.IsType<AccessRefused>(await Check("root")).Reason);
        var again = await AnEmptyAuthorizationStore.Post(admin, "/api/targets", new { name = _target, address = "10.6.6.6", logins = new[] { "root" } });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Should_refuse_a_change_without_logins_and_store_nothing()
    {
        using var admin = service.Admin();
        var before = await service.StoredDataAsync();

        var response = await admin.PutAsJsonAsync($"/api/targets/{_target}", new { address = "10.6.6.6", logins = Array.Empty<string>() },
            AnEmptyAuthorizationStore.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await service.StoredDataAsync());
    }

    private Task<object> Check(string login) =>
        service.CheckAsync(new CheckAccess(_user, [], _target, login, "10.0.0.1", true, Guid.NewGuid().ToString()));
}
