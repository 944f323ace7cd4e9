namespace Gatehouse.Contracts;

/// <summary>A signed API token was issued to a user for the Gatehouse HTTP APIs.</summary>
public sealed record ApiTokenIssued(
    string UserName,
    string TokenId,
    IReadOnlyList<string> Roles,
    DateTimeOffset ExpiresAt,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
