namespace Gatehouse.WebConsole.Pages.Requests;

public enum AccessRequestStatus
{
    Pending,
    Approved,
    Denied,
}

/// <summary>A just-in-time access request as the Authorization service's API gives it.</summary>
public sealed record AccessRequestRecord(Guid Id, string UserName, string Target, string Login, TimeSpan Duration, string Reason,
    DateTimeOffset RequestedAt, AccessRequestStatus Status, string? DecidedBy, DateTimeOffset? DecidedAt, DateTimeOffset? AccessExpiresAt,
    string? DenialReason);
