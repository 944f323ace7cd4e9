namespace Gatehouse.Contracts;

/// <summary>A user asked for just-in-time access to a target with a login, for a while, giving a reason.</summary>
public sealed record AccessRequested(
    Guid RequestId,
    string UserName,
    string Target,
    string Login,
    TimeSpan Duration,
    string Reason,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
