namespace Gatehouse.Contracts.Sessions;

/// <summary>A session the gateway is relaying right now, as the admin API lists it.</summary>
public sealed record LiveSession(
    Guid SessionId,
    string UserName,
    string Target,
    string Login,
    SessionKind Kind,
    string? Command,
    string? SourceAddress,
    DateTimeOffset StartedAt,
    DateTimeOffset LastActivityAt,
    DateTimeOffset? EndsAt,
    long BytesFromClient,
    long BytesToClient);
