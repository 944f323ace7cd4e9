namespace Gatehouse.Contracts;

/// <summary>An approver (the actor, never the requester) approved a request; grant <paramref name="GrantId"/> carries it until it expires.</summary>
public sealed record AccessRequestApproved(
    Guid RequestId,
    string UserName,
    string Target,
    string Login,
    Guid GrantId,
    DateTimeOffset ExpiresAt,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
