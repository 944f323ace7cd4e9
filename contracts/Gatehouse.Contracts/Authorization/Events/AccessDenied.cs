namespace Gatehouse.Contracts;

/// <summary>Authorization refused a user a target; <paramref name="Detail"/> says precisely why, for the user and the SOC.</summary>
public sealed record AccessDenied(
    string UserName,
    string Target,
    string Login,
    AccessDenialReason Reason,
    string Detail,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
