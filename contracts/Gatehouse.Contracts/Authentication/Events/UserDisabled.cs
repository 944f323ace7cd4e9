namespace Gatehouse.Contracts;

/// <summary>A user was disabled: every credential is refused until the user is enabled again.</summary>
public sealed record UserDisabled(
    Guid UserId,
    string UserName,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
