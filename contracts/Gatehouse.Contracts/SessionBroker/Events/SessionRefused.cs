namespace Gatehouse.Contracts;

/// <summary>
/// The gateway could not read the SSH user name (then no credential was checked), or it authenticated and authorized
/// the user but could not open the session on the target, or
/// authorization refused it; the user was shown <see cref="Detail"/>.
/// </summary>
public sealed record SessionRefused(
    Guid SessionId,
    string UserName,
    string Target,
    string Login,
    SessionRefusalReason Reason,
    string Detail,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
