namespace Gatehouse.Contracts.Authorization;

/// <summary>The key is the target's pinned host key (pinned now or earlier); the gateway may proceed.</summary>
public sealed record TargetHostKeyAccepted(
    string Target,
    string Fingerprint,
    bool PinnedNow);
