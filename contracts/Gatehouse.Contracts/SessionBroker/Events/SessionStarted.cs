namespace Gatehouse.Contracts;

/// <summary>The gateway opened a brokered session on a target.</summary>
/// <param name="TargetAddress">Host and port the gateway connected to.</param>
public sealed record SessionStarted(
    Guid SessionId,
    string UserName,
    string Target,
    string TargetAddress,
    string Login,
    SessionKind Kind,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
