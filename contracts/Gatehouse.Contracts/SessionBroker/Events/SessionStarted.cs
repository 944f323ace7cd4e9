namespace Gatehouse.Contracts;

/// <summary>The gateway opened a brokered session on a target.</summary>
/// <param name="TargetAddress">Host and port the gateway connected to.</param>
/// <param name="ClientSsh">What the user's client and the gateway negotiated; null in events written before it was carried.</param>
/// <param name="TargetSsh">What the gateway and the target negotiated; null in events written before it was carried.</param>
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
    DateTimeOffset OccurredAt,
    SshAlgorithms? ClientSsh = null,
    SshAlgorithms? TargetSsh = null) : IAccessEvent;
