namespace Gatehouse.Contracts.Sessions;

/// <summary>A port forward (or ProxyJump) the gateway holds open right now; terminable by <paramref name="ForwardingId"/> like a session.</summary>
/// <param name="DestinationHost">The host as the client sent it, made printable.</param>
public sealed record LiveForward(
    Guid ForwardingId,
    string UserName,
    string Target,
    string Login,
    ForwardingKind Kind,
    string DestinationHost,
    int DestinationPort,
    string? SourceAddress,
    DateTimeOffset OpenedAt);
