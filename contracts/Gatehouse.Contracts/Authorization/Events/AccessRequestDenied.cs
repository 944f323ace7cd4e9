namespace Gatehouse.Contracts;

/// <summary>An approver turned a just-in-time access request down.</summary>
public sealed record AccessRequestDenied(
    Guid RequestId,
    string UserName,
    string Target,
    string Login,
    string Reason,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
