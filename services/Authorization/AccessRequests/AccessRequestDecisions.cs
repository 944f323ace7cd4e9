using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;

namespace Gatehouse.Authorization.AccessRequests;

/// <summary>Approving and denying just-in-time requests, as pure decisions over the request's state.</summary>
public static class AccessRequestDecisions
{
    public sealed record Refusal(int StatusCode, string Title, ApprovalRefusalReason Reason = ApprovalRefusalReason.AlreadyDecided);

    public sealed record Approval(AccessRequestApproved Approved, GrantIssued Grant);

    /// <summary>
    /// The requester can never approve their own request. An approval becomes a grant to the requester alone, for the
    /// one target and login asked for, that expires by itself after the requested duration.
    /// </summary>
    public static (Approval? Approval, Refusal? Refusal) Approve(AccessRequest request, ApiCaller approver,
        TimeSpan approvalWindow, Guid grantId, Guid approvedEventId, Guid grantEventId, DateTimeOffset now)
    {
        if (Refuse(request, approver, approvalWindow, now) is { } refusal)
        {
            return (null, refusal);
        }

        var expiresAt = now + request.Duration;
        var approved = new AccessRequestApproved(request.Id, request.UserName, request.Target, request.Login, grantId, expiresAt,
            approver.Name, approver.SourceAddress, approver.CorrelationId, approvedEventId, now);
        var grant = new GrantIssued(grantId, GrantSubjectKind.User, request.UserName, [request.Target],
            new Dictionary<string, string>(), [request.Login], [], expiresAt, [], request.Duration, false, false, request.Id,
            approver.Name, approver.SourceAddress, approver.CorrelationId, grantEventId, now);
        return (new Approval(approved, grant), null);
    }

    /// <summary>A denial to append to the request's stream, or why there is none.</summary>
    public sealed record Denial(AccessRequestDenied? Denied, Refusal? Refusal) : IStreamDecision
    {
        public IReadOnlyList<object> Events => Denied is null ? [] : [Denied];
    }

    public static Denial Deny(AccessRequest request, ApiCaller approver, string reason, Guid eventId, DateTimeOffset now) =>
        request.Status != AccessRequestStatus.Pending
            ? new Denial(null, AlreadyDecided(request))
            : new Denial(new AccessRequestDenied(request.Id, request.UserName, request.Target, request.Login, reason,
                approver.Name, approver.SourceAddress, approver.CorrelationId, eventId, now), null);

    private static Refusal? Refuse(AccessRequest request, ApiCaller approver, TimeSpan approvalWindow, DateTimeOffset now)
    {
        if (string.Equals(request.UserName, approver.Name, StringComparison.Ordinal))
        {
            return new Refusal(StatusCodes.Status403Forbidden, "You cannot approve your own access request; another approver must",
                ApprovalRefusalReason.OwnRequest);
        }

        if (request.Status != AccessRequestStatus.Pending)
        {
            return AlreadyDecided(request);
        }

        return now - request.RequestedAt > approvalWindow
            ? new Refusal(StatusCodes.Status409Conflict,
                $"The request waited more than {approvalWindow} for approval and has lapsed; the user must ask again", ApprovalRefusalReason.Lapsed)
            : null;
    }

    /// <summary>The record of a refused approval: nothing is granted, but the attempt is an event the Audit rules see.</summary>
    public static AccessRequestApprovalRefused Refused(AccessRequest request, ApiCaller approver, Refusal refusal, Guid eventId, DateTimeOffset now) =>
        new(request.Id, request.UserName, request.Target, request.Login, refusal.Reason, refusal.Title, approver.Name, approver.SourceAddress,
            approver.CorrelationId, eventId, now);

    private static Refusal AlreadyDecided(AccessRequest request) =>
        new(StatusCodes.Status409Conflict, $"The request was already {request.Status.ToString().ToLowerInvariant()} by {request.DecidedBy}");
}
