namespace Gatehouse.Contracts;

/// <summary>An administrator (or the first-run bootstrap) created a Gatehouse user.</summary>
public sealed record UserCreated(
    Guid UserId,
    string UserName,
    IReadOnlyList<string> Roles,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
