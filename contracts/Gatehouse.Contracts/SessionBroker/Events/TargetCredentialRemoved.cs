namespace Gatehouse.Contracts;

/// <summary>An administrator removed the credential of a target login; sessions with that login are refused from now on.</summary>
public sealed record TargetCredentialRemoved(
    string Target,
    string Login,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
