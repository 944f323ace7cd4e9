using System.Net;
using Gatehouse.Authorization.AccessRequests;
using Gatehouse.Authorization.Api;
using Gatehouse.ServiceDefaults.EventStore;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Authorization.Tests.AccessRequests;

[Collection(AnEmptyAuthorizationStoreCollection.Name)]
public class When_a_user_asks_for_just_in_time_access(AnEmptyAuthorizationStore service) : IAsyncLifetime
{
    private readonly string _target = $"jit-{Guid.NewGuid():N}"[..20];

    public async Task InitializeAsync()
    {
        using var admin = service.Admin();
        (await AnEmptyAuthorizationStore.Post(admin, "/api/targets",
            new { name = _target, address = "10.9.9.9", labels = new { env = "prod" }, logins = new[] { "root", "deploy" } }))
            .EnsureSuccessStatusCode();
    }

    public Task DisposeAsync()
    {
        service.Clock.Reset();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Should_grant_access_on_approval_that_expires_by_itself()
    {
        var requester = $"jit-user-{Guid.NewGuid():N}"[..20];
        var request = await Ask(requester, "02:00:00");
        Assert.IsType<AccessRefused>(await Check(requester));

        using var approver = service.As("jit-approver", "approver");
        var approved = await AnEmptyAuthorizationStore.Read<AccessRequest>(
            await approver.PostAsync($"/api/access-requests/{request.Id}/approve", null));
        Assert.Equal(AccessRequestStatus.Approved, approved.Status);

        var allowed = Assert.IsType<AccessAllowed>(await Check(requester));
        Assert.Equal(approved.GrantId, allowed.GrantId);
        Assert.Equal(TimeSpan.FromHours(2), allowed.MaxSessionLength);
        Assert.Equal(approved.AccessExpiresAt, allowed.GrantExpiresAt);
        Assert.IsType<AccessRefused>(await Check(requester, "deploy"));

        service.Clock.Set(approved.AccessExpiresAt!.Value.AddSeconds(1));
        var expired = Assert.IsType<AccessRefused>(await Check(requester));
        Assert.Equal(AccessDenialReason.GrantExpired, expired.Reason);

        var steps = await service.EventsOfStreamAsync(request.Id);
        Assert.Collection(steps, e => Assert.IsType<AccessRequested>(e), e => Assert.Equal("jit-approver", Assert.IsType<AccessRequestApproved>(e).Actor));
    }

    [Fact]
    public async Task Should_refuse_the_requester_approving_their_own_request_and_record_only_the_refusal()
    {
        var requester = $"jit-self-{Guid.NewGuid():N}"[..20];
        var request = await Ask(requester, "01:00:00", "approver");
        var before = await service.StoredDataAsync();

        using var self = service.As(requester, "approver");
        var response = await self.PostAsync($"/api/access-requests/{request.Id}/approve", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("own access request", await response.Content.ReadAsStringAsync());
        // The attempt is an event (the Audit rules raise self-approval on it); nothing is granted.
        Assert.Equal(before.Total + 1, (await service.StoredDataAsync()).Total);
        var refused = Assert.IsType<AccessRequestApprovalRefused>((await service.EventsOfStreamAsync(request.Id))[^1]);
        Assert.Equal((ApprovalRefusalReason.OwnRequest, requester, requester, _target), (refused.Reason, refused.Actor, refused.UserName, refused.Target));
        Assert.Equal(AccessRequestStatus.Pending, (await AnEmptyAuthorizationStore.Read<AccessRequest>(
            await self.GetAsync($"/api/access-requests/{request.Id}"))).Status);
        Assert.Equal(AccessDenialReason.NoMatchingGrant, Assert.IsType<AccessRefused>(await Check(requester)).Reason);
    }

    [Fact]
    public async Task Should_store_exactly_one_approval_when_two_approvers_act_at_once()
    {
        var requester = $"jit-race-{Guid.NewGuid():N}"[..20];
        var request = await Ask(requester, "01:00:00");
        using var first = service.As("jit-approver-1", "approver");
        using var second = service.As("jit-approver-2", "approver");

        var responses = await Task.WhenAll(
            first.PostAsync($"/api/access-requests/{request.Id}/approve", null),
            second.PostAsync($"/api/access-requests/{request.Id}/approve", null));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order().ToArray());
        var steps = await service.EventsOfStreamAsync(request.Id);
        Assert.Single(steps.OfType<AccessRequestApproved>());
        using var admin = service.Admin();
        var grants = await AnEmptyAuthorizationStore.Read<List<Authorization.Grants.Grant>>(await admin.GetAsync($"/api/grants?subject={requester}"));
        Assert.Single(grants);
    }

    [Fact]
    public async Task Should_refuse_the_second_of_two_approvals_decided_on_the_same_version()
    {
        // The race made deterministic: both approvers read the pending request before either writes.
        var request = await Ask($"jit-ver-{Guid.NewGuid():N}"[..20], "01:00:00");
        var store = service.Services.GetRequiredService<IDocumentStore>();
        await using var first = store.LightweightSession();
        await using var second = store.LightweightSession();
        var firstRead = await first.Events.FetchForWriting<AccessRequest>(request.Id);
        var secondRead = await second.Events.FetchForWriting<AccessRequest>(request.Id);

        Approve(first, firstRead.Aggregate!, "jit-approver-1");
        Approve(second, secondRead.Aggregate!, "jit-approver-2");
        await first.SaveChangesAsync();
        var lost = await Assert.ThrowsAnyAsync<Exception>(() => second.SaveChangesAsync());

        Assert.True(StoreErrors.IsConflict(lost), lost.ToString());
        Assert.Single((await service.EventsOfStreamAsync(request.Id)).OfType<AccessRequestApproved>());
    }

    private static void Approve(IDocumentSession session, AccessRequest request, string approver)
    {
        var (approval, _) = AccessRequestDecisions.Approve(request, new ApiCaller(approver, null, "c", DateTimeOffset.UtcNow), TimeSpan.FromDays(1),
            Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow);
        session.AppendAccessEvent(request.Id, approval!.Approved);
        session.StartStreamWithAccessEvent(approval.Grant.GrantId, approval.Grant);
    }

    [Fact]
    public async Task Should_let_an_approver_deny_with_a_reason()
    {
        var requester = $"jit-deny-{Guid.NewGuid():N}"[..20];
        var request = await Ask(requester, "01:00:00");
        using var approver = service.As("jit-approver", "approver");

        var denied = await AnEmptyAuthorizationStore.Read<AccessRequest>(await AnEmptyAuthorizationStore.Post(approver,
            $"/api/access-requests/{request.Id}/deny", new { reason = "use the read replica" }));
        var late = await approver.PostAsync($"/api/access-requests/{request.Id}/approve", null);

        Assert.Equal((AccessRequestStatus.Denied, "use the read replica"), (denied.Status, denied.DenialReason));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        var steps = await service.EventsOfStreamAsync(request.Id);
        Assert.IsType<AccessRequestDenied>(steps[^2]);
        Assert.Equal(ApprovalRefusalReason.AlreadyDecided, Assert.IsType<AccessRequestApprovalRefused>(steps[^1]).Reason);
    }

    [Fact]
    public async Task Should_not_let_a_user_without_the_approver_role_approve()
    {
        var request = await Ask($"jit-norole-{Guid.NewGuid():N}"[..20], "01:00:00");
        using var colleague = service.As("jit-colleague", "developer");

        var response = await colleague.PostAsync($"/api/access-requests/{request.Id}/approve", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<AccessRequest> Ask(string requester, string duration, params string[] roles)
    {
        using var client = service.As(requester, roles);
        return await AnEmptyAuthorizationStore.Read<AccessRequest>(await AnEmptyAuthorizationStore.Post(client, "/api/access-requests",
            new { target = _target, login = "root", duration, reason = "INC-4711: disk full on the primary" }));
    }

    private Task<object> Check(string user, string login = "root") =>
        service.CheckAsync(new CheckAccess(user, [], _target, login, "10.0.0.1", true, Guid.NewGuid().ToString()));
}
