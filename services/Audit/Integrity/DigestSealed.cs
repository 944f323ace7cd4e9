namespace Gatehouse.Audit.Integrity;

/// <summary>
/// One link of the integrity chain: the events stored at sequences <paramref name="FirstSequence"/> to
/// <paramref name="LastSequence"/>, each with the SHA-256 of its stored form, hashed together with the previous
/// digest and signed with Ed25519 (the pattern of CloudTrail's log-file digests).
/// </summary>
public sealed record DigestSealed(
    long Number,
    long FirstSequence,
    long LastSequence,
    IReadOnlyList<SealedEvent> Events,
    string PreviousDigest,
    string Digest,
    string Signature,
    string PublicKey,
    DateTimeOffset SealedAt);

/// <summary>An event as sealed: where it was, which it was, and the hash of what it said.</summary>
public sealed record SealedEvent(long Sequence, Guid EventId, string Hash);
