using Gatehouse.Contracts;

namespace Gatehouse.Authorization.AccessRequests;

public enum AccessRequestStatus
{
    Pending,
    Approved,
    Denied,
}

/// <summary>A just-in-time access request as it stands now (inline snapshot of its stream).</summary>
public sealed record AccessRequest(
    Guid Id,
    string UserName,
    string Target,
    string Login,
    TimeSpan Duration,
    string Reason,
    DateTimeOffset RequestedAt,
    AccessRequestStatus Status = AccessRequestStatus.Pending,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null,
    Guid? GrantId = null,
    DateTimeOffset? AccessExpiresAt = null,
    string? DenialReason = null)
{
    public static AccessRequest Create(AccessRequested requested) => new(
        requested.RequestId, requested.UserName, requested.Target, requested.Login, requested.Duration, requested.Reason,
        requested.OccurredAt);

    public AccessRequest Apply(AccessRequestApproved approved) => this with
    {
        Status = AccessRequestStatus.Approved, DecidedBy = approved.Actor, DecidedAt = approved.OccurredAt,
        GrantId = approved.GrantId, AccessExpiresAt = approved.ExpiresAt,
    };

    public AccessRequest Apply(AccessRequestDenied denied) => this with
    {
        Status = AccessRequestStatus.Denied, DecidedBy = denied.Actor, DecidedAt = denied.OccurredAt, DenialReason = denied.Reason,
    };
}
