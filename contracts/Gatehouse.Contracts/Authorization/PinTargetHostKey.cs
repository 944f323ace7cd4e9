namespace Gatehouse.Contracts.Authorization;

/// <summary>
/// The gateway reports the host key a target presented when none was pinned (trust on first use).
/// The answer is <see cref="TargetHostKeyAccepted"/> or <see cref="TargetHostKeyRejected"/>.
/// </summary>
/// <param name="HostKey">The OpenSSH public key line, e.g. "ssh-ed25519 AAAA...".</param>
/// <param name="UserName">The user whose session met the key first.</param>
public sealed record PinTargetHostKey(
    string Target,
    string HostKey,
    string UserName,
    string? SourceAddress,
    string CorrelationId);
