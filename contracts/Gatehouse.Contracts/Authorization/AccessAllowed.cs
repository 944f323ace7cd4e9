namespace Gatehouse.Contracts.Authorization;

/// <summary>The user may open the session, under grant <paramref name="GrantId"/> and its limits.</summary>
/// <param name="DecisionId">The event id of the recorded <see cref="AccessGranted"/>.</param>
/// <param name="TargetHostKey">The pinned OpenSSH host key; null means none yet, so the gateway pins the first one it sees (<see cref="PinTargetHostKey"/>).</param>
/// <param name="GrantExpiresAt">When the grant ends; the gateway ends the session then at the latest.</param>
/// <param name="TrustsGatehouseUserCa">Sign in with a Gatehouse user certificate made for the session, not a vaulted credential.</param>
/// <param name="HostCertificateAuthorities">When set, the target's host certificate must be signed by one of these CA keys (no pinning).</param>
/// <param name="ForwardingDestinations">The host:port patterns a forward may reach from the target; none means no forward.</param>
/// <param name="RemoteForwardingPorts">The ports ssh -R may listen on at the target's loopback; none means no remote forward.</param>
/// <param name="TargetLabels">The target's labels, for the gateway's per-label posture policy; null from a sender before they were carried.</param>
public sealed record AccessAllowed(
    Guid DecisionId,
    string UserName,
    string Target,
    string TargetAddress,
    int TargetPort,
    string? TargetHostKey,
    string Login,
    Guid GrantId,
    TimeSpan? MaxSessionLength,
    DateTimeOffset? GrantExpiresAt,
    bool PortForwardingAllowed,
    IReadOnlyList<string>? ForwardingDestinations = null,
    IReadOnlyDictionary<string, string>? TargetLabels = null,
    bool TrustsGatehouseUserCa = false,
    IReadOnlyList<string>? HostCertificateAuthorities = null,
    IReadOnlyList<string>? RemoteForwardingPorts = null);
