namespace Gatehouse.Contracts;

/// <summary>A target's host key was pinned: by an administrator, or on first use by the gateway.</summary>
/// <param name="Fingerprint">SHA256 fingerprint of the key, as OpenSSH prints it.</param>
/// <param name="PreviousFingerprint">The key it replaced, when an administrator re-pinned a rotated key.</param>
public sealed record TargetHostKeyPinned(
    Guid TargetId,
    string Name,
    string HostKey,
    string Fingerprint,
    bool TrustedOnFirstUse,
    string? PreviousFingerprint,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt) : IAccessEvent;
