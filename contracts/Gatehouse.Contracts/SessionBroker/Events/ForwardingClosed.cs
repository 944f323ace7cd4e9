namespace Gatehouse.Contracts;

/// <summary>A forward through the gateway closed, with the bytes it carried each way (its content is not recorded).</summary>
/// <param name="BytesFromClient">Bytes the client sent to the destination.</param>
/// <param name="BytesToClient">Bytes the destination sent to the client.</param>
/// <param name="EndedBecause">Why the gateway ended it (withdrawal, expiry, maximum length, an operator and their reason); null when a side closed it.</param>
public sealed record ForwardingClosed(
    Guid ForwardingId,
    string UserName,
    string Target,
    string Login,
    ForwardingKind Kind,
    string DestinationHost,
    int DestinationPort,
    DateTimeOffset OpenedAt,
    long BytesFromClient,
    long BytesToClient,
    ForwardingEndReason EndReason,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt,
    string? EndedBecause = null) : IAccessEvent
{
    public TimeSpan Duration => OccurredAt - OpenedAt;
}
