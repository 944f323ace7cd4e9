namespace Gatehouse.Contracts;

/// <summary>
/// The gateway connected to a target and was offered a host key other than the pinned one; it did not proceed.
/// Either the target's key was rotated without re-pinning, or something is intercepting the connection.
/// </summary>
/// <param name="PinnedFingerprint">SHA256 fingerprint of the key pinned for the target.</param>
/// <param name="OfferedFingerprint">SHA256 fingerprint of the key the target (or whatever answered) presented.</param>
public sealed record TargetHostKeyMismatched(
    string Target,
    string TargetAddress,
    string PinnedFingerprint,
    string OfferedFingerprint,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
