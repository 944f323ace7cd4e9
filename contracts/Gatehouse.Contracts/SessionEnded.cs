namespace Gatehouse.Contracts;

/// <summary>A brokered session closed.</summary>
/// <param name="EndReason">Why it ended: client-closed, target-closed, idle-timeout, max-length, terminated, error.</param>
/// <param name="RecordingSha256">Hex SHA-256 of the session recording, so the file can be proven unchanged.</param>
public sealed record SessionEnded(
    Guid SessionId,
    string UserName,
    string Target,
    string Login,
    DateTimeOffset StartedAt,
    long BytesFromClient,
    long BytesToClient,
    int? ExitStatus,
    string EndReason,
    string? RecordingSha256,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
