namespace Gatehouse.Contracts;

/// <summary>A host was registered as a target that users may be granted.</summary>
/// <param name="Logins">The accounts that exist on the target; their credentials live in the SessionBroker's vault.</param>
/// <param name="HostKey">The pinned OpenSSH public host key, or null to trust the first key seen.</param>
/// <param name="TrustsGatehouseUserCa">The target's sshd trusts Gatehouse's user CA: the gateway signs in with a certificate made for the session, no vault entry.</param>
/// <param name="HostCertificateAuthorities">CA public keys the target's host certificate must be signed by, instead of a pinned key; no trust on first use.</param>
public sealed record TargetRegistered(
    Guid TargetId,
    string Name,
    string Address,
    int Port,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Logins,
    string? HostKey,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt,
    bool TrustsGatehouseUserCa = false,
    IReadOnlyList<string>? HostCertificateAuthorities = null) : IAccessEvent;
