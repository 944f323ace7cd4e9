namespace Gatehouse.Contracts;

/// <summary>
/// The gateway refused a forward the client asked for; the client was told <see cref="Detail"/> where the protocol lets it
/// (a channel-open failure, a line on the session's error stream), else only that it failed.
/// </summary>
/// <param name="DestinationHost">For a local forward, the destination as the client sent it; for a remote one, the address to listen on.</param>
public sealed record ForwardingRefused(
    Guid ForwardingId,
    string UserName,
    string Target,
    string Login,
    ForwardingKind Kind,
    string? DestinationHost,
    int? DestinationPort,
    ForwardingRefusalReason Reason,
    string Detail,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
