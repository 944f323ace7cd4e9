namespace Gatehouse.Contracts;

/// <summary>
/// A forward through the gateway opened: the target opened a TCP connection to the destination for the user. Its content
/// is not recorded; <see cref="ForwardingClosed"/> carries the bytes each way.
/// </summary>
/// <param name="ForwardingId">Names the forward: its opened and closed events share it.</param>
/// <param name="DestinationHost">The host as the client sent it (the target resolved it).</param>
/// <param name="OriginatorAddress">Where the client says the forwarded connection came from on its side, as it sent it (unverified).</param>
/// <param name="GrantId">The grant whose destinations allowed it.</param>
public sealed record ForwardingOpened(
    Guid ForwardingId,
    string UserName,
    string Target,
    string Login,
    ForwardingKind Kind,
    string DestinationHost,
    int DestinationPort,
    string OriginatorAddress,
    int OriginatorPort,
    Guid GrantId,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
