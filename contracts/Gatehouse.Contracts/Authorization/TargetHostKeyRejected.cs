namespace Gatehouse.Contracts.Authorization;

/// <summary>The key is not the target's pinned key (or not a valid key); the gateway must not connect.</summary>
public sealed record TargetHostKeyRejected(
    string Target,
    string Detail);
