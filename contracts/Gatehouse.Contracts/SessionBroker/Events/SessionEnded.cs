namespace Gatehouse.Contracts;

/// <summary>A brokered session closed.</summary>
/// <param name="EndReason">Why it ended; written as before it was an enum ("client-closed", "idle-timeout", ...).</param>
/// <param name="ExitStatus">The exit status the target reported, if it did (a session the gateway ended exits 255 for the user).</param>
/// <param name="RecordingSha256">Hex SHA-256 of the session recording, so the file can be proven unchanged.</param>
/// <param name="Recording">Where the recording is, relative to the recordings folder (<c>yyyy/MM/dd/{id}.cast</c>); null when
/// there is none, and in events written before it was carried.</param>
public sealed record SessionEnded(
    Guid SessionId,
    string UserName,
    string Target,
    string Login,
    DateTimeOffset StartedAt,
    long BytesFromClient,
    long BytesToClient,
    int? ExitStatus,
    SessionEndReason EndReason,
    string? RecordingSha256,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt,
    string? Recording = null) : IAccessEvent;
