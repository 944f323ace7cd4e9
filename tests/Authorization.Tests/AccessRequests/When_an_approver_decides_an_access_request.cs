using Gatehouse.Authorization.AccessRequests;
using Gatehouse.Authorization.Api;
using Gatehouse.Authorization.Decisions;
using Gatehouse.Authorization.Grants;
using Gatehouse.Authorization.Tests.Decisions;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Authorization.Tests.AccessRequests;

public class When_an_approver_decides_an_access_request
{
    private static readonly DateTimeOffset RequestedAt = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan ApprovalWindow = TimeSpan.FromHours(24);
    private static readonly ApiCaller Approver = new("olga", "10.0.0.9", "trace", DateTimeOffset.UnixEpoch);

    private static AccessRequest Pending() =>
        new(Guid.NewGuid(), "sam", "db01", "postgres", TimeSpan.FromHours(2), "INC-1", RequestedAt);

    [Fact]
    public void Should_refuse_the_requester_approving_their_own_request()
    {
        var (approval, refusal) = AccessRequestDecisions.Approve(Pending(), Approver with { Name = "sam" }, ApprovalWindow,
            Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), RequestedAt.AddMinutes(5));

        Assert.Null(approval);
        Assert.Equal(403, refusal!.StatusCode);
    }

    [Fact]
    public void Should_refuse_approving_a_request_already_decided()
    {
        var request = Pending() with { Status = AccessRequestStatus.Denied, DecidedBy = "olga" };

        var (_, refusal) = AccessRequestDecisions.Approve(request, Approver, ApprovalWindow, Guid.NewGuid(), Guid.NewGuid(),
            Guid.NewGuid(), RequestedAt.AddMinutes(5));

        Assert.Equal(409, refusal!.StatusCode);
    }

    [Fact]
    public void Should_refuse_approving_a_request_that_waited_too_long()
    {
        var (_, refusal) = AccessRequestDecisions.Approve(Pending(), Approver, ApprovalWindow, Guid.NewGuid(), Guid.NewGuid(),
            Guid.NewGuid(), RequestedAt.AddHours(25));

        Assert.Contains("lapsed", refusal!.Title);
    }

    [Fact]
    public void Should_turn_an_approval_into_a_grant_for_that_target_and_login_that_expires_by_itself()
    {
        var request = Pending();
        var approvedAt = RequestedAt.AddMinutes(10);
        var (approval, _) = AccessRequestDecisions.Approve(request, Approver, ApprovalWindow, Guid.NewGuid(), Guid.NewGuid(),
            Guid.NewGuid(), approvedAt);

        var grant = Grant.Create(approval!.Grant);
        Assert.Equal((GrantSubjectKind.User, "sam", request.Id), (grant.SubjectKind, grant.Subject, grant.AccessRequestId));
        Assert.Equal(["db01"], grant.TargetNames);
        Assert.Equal(["postgres"], grant.Logins);
        Assert.Equal(approvedAt.AddHours(2), grant.ExpiresAt);
        Assert.Equal(approval.Approved.ExpiresAt, grant.ExpiresAt);
        Assert.Equal("olga", approval.Approved.Actor);

        var world = AccessIndex.Build([When_access_is_decided.Target("db01", new() { ["env"] = "prod" }, "postgres", "root")], [grant], []);
        var question = new CheckAccess("sam", [], "db01", "postgres", null, false, "c");
        Assert.IsType<AccessAllowedBy>(AccessDecider.Decide(question, world, approvedAt.AddHours(1)));
        Assert.Equal(AccessDenialReason.GrantExpired,
            Assert.IsType<AccessRefusedFor>(AccessDecider.Decide(question, world, approvedAt.AddHours(2))).Reason);
        Assert.Equal(AccessDenialReason.LoginNotAllowed,
            Assert.IsType<AccessRefusedFor>(AccessDecider.Decide(question with { Login = "root" }, world, approvedAt)).Reason);
    }
}
