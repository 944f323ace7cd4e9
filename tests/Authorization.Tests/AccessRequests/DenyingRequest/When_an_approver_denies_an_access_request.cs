using Gatehouse.Authorization.AccessRequests;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Authorization.Tests.AccessRequests.DenyingRequest;

/// <summary>The denial decided on the request as stored, with no store.</summary>
public class When_an_approver_denies_an_access_request
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 0, 30, 0, TimeSpan.Zero);
    private static readonly ApiCaller Approver = new("olga", "10.0.0.9", "trace-1", Now);
    private static readonly Guid EventId = Guid.Parse("0193a1b2-0000-7000-8000-00000000000c");

    private static AccessRequest Pending() => new(Guid.NewGuid(), "sam", "db01", "postgres", TimeSpan.FromHours(2), "INC-1", Now.AddMinutes(-5));

    [Fact]
    public void Should_deny_a_pending_request_with_the_reason_as_the_approver_at_the_time_given()
    {
        var request = Pending();

        var denial = AccessRequestDecisions.Deny(request, Approver, "not during the freeze", EventId, Now);

        Assert.Null(denial.Refusal);
        Assert.Equal([new AccessRequestDenied(request.Id, "sam", "db01", "postgres", "not during the freeze", "olga", "10.0.0.9", "trace-1",
            EventId, Now)], denial.Events);
    }

    [Theory]
    [InlineData(AccessRequestStatus.Approved)]
    [InlineData(AccessRequestStatus.Denied)]
    public void Should_refuse_a_request_already_decided_and_record_nothing(AccessRequestStatus status)
    {
        var denial = AccessRequestDecisions.Deny(Pending() with { Status = status, DecidedBy = "kim" }, Approver, "no", EventId, Now);

        Assert.Empty(denial.Events);
        Assert.Equal(409, denial.Refusal!.StatusCode);
        Assert.Contains("by kim", denial.Refusal.Title);
    }
}
