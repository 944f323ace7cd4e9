namespace Gatehouse.Contracts;

/// <summary>
/// An approval of a just-in-time access request was refused and nothing was granted: the attempt is recorded, since
/// approving one's own request is a signal even when the product stops it.
/// </summary>
/// <param name="Reason">Why it was refused.</param>
/// <param name="Detail">What the approver was told.</param>
public sealed record AccessRequestApprovalRefused(
    Guid RequestId,
    string UserName,
    string Target,
    string Login,
    ApprovalRefusalReason Reason,
    string Detail,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
