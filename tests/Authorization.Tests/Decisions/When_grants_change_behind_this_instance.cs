using Gatehouse.Authorization.Grants;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.ServiceDefaults.EventStore;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Authorization.Tests.Decisions;

/// <summary>
/// Another instance writes straight to the shared store; this instance's in-memory index has not caught up (its
/// background refresh is set to a minute in the tests). Decisions must still follow the store.
/// </summary>
[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_grants_change_behind_this_instance(AnEmptyAuthorizationStore service) : IAsyncLifetime
{
    private readonly string _target = $"stale-{Guid.NewGuid():N}"[..20];
    private readonly string _user = $"stale-user-{Guid.NewGuid():N}"[..20];

    public async Task InitializeAsync()
    {
        using var admin = service.Admin();
        await service.CreateUsersAsync(_user);
        (await AnEmptyAuthorizationStore.Post(admin, "/api/targets",
            new { name = _target, address = "10.7.7.7", labels = new { env = "prod" }, logins = new[] { "root" } })).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Should_refuse_at_once_a_grant_revoked_through_the_api()
    {
        using var admin = service.Admin();
        var grant = await IssueAsync(admin);
        Assert.IsType<AccessAllowed>(await Check());

        (await AnEmptyAuthorizationStore.Post(admin, $"/api/grants/{grant.Id}/revoke", new { reason = "laptop stolen" })).EnsureSuccessStatusCode();

        var refused = Assert.IsType<AccessRefused>(await Check());
        Assert.Equal(AccessDenialReason.GrantRevoked, refused.Reason);
        Assert.Contains("laptop stolen", refused.Detail);
    }

    [Fact]
    public async Task Should_refuse_a_grant_another_instance_revoked()
    {
        using var admin = service.Admin();
        var grant = await IssueAsync(admin);
        Assert.IsType<AccessAllowed>(await Check());

        await AppendElsewhereAsync(grant.Id, new GrantRevoked(grant.Id, GrantSubjectKind.User, _user, "revoked on another instance",
            "other-admin", null, "elsewhere", Guid.NewGuid(), DateTimeOffset.UtcNow), newStream: false);

        Assert.Equal(AccessDenialReason.GrantRevoked, Assert.IsType<AccessRefused>(await Check()).Reason);
    }

    [Fact]
    public async Task Should_allow_a_grant_another_instance_issued()
    {
        Assert.IsType<AccessRefused>(await Check());
        var grantId = Guid.NewGuid();

        await AppendElsewhereAsync(grantId, new GrantIssued(grantId, GrantSubjectKind.User, _user, [_target],
            new Dictionary<string, string>(), ["root"], [], null, [], null, false, false, null,
            "other-admin", null, "elsewhere", Guid.NewGuid(), DateTimeOffset.UtcNow), newStream: true);
        await Task.Delay(300); // past the minimum interval between catch-ups a refusal may trigger

        Assert.Equal(grantId, Assert.IsType<AccessAllowed>(await Check()).GrantId);
    }

    private async Task AppendElsewhereAsync(Guid streamId, IAccessEvent accessEvent, bool newStream)
    {
        await using var session = service.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        if (newStream)
        {
            session.StartStreamWithAccessEvent(streamId, accessEvent);
        }
        else
        {
            session.AppendAccessEvent(streamId, accessEvent);
        }

        await session.SaveChangesAsync();
    }

    private async Task<Grant> IssueAsync(HttpClient admin) =>
        await AnEmptyAuthorizationStore.Read<Grant>(await AnEmptyAuthorizationStore.Post(admin, "/api/grants",
            new { subjectKind = "User", subject = _user, targetNames = new[] { _target }, logins = new[] { "root" } }));

    private Task<object> Check() =>
        service.CheckAsync(new CheckAccess(_user, [], _target, "root", "10.0.0.1", true, Guid.NewGuid().ToString()));
}
