namespace Gatehouse.Contracts;

/// <summary>
/// A user or a role was given access to targets, chosen by name or by labels (every label must match).
/// Empty time windows mean any time; empty source CIDRs mean any source; a login of "*" means any login the target has.
/// </summary>
/// <param name="ForwardingDestinations">
/// The host:port patterns a forward may reach from the target (see ForwardingDestinations); none (or null, in grants issued
/// before destinations existed) means no forward is allowed, even with <paramref name="PortForwardingAllowed"/>.
/// </param>
/// <param name="RemoteForwardingPorts">
/// The ports ssh -R may listen on at the target's loopback (see RemoteForwardingPorts); none (or null) means remote forwarding
/// is refused, even with <paramref name="PortForwardingAllowed"/>.
/// </param>
/// <param name="AccessRequestId">The just-in-time request whose approval created this grant, if any.</param>
public sealed record GrantIssued(
    Guid GrantId,
    GrantSubjectKind SubjectKind,
    string Subject,
    IReadOnlyList<string> TargetNames,
    IReadOnlyDictionary<string, string> TargetLabels,
    IReadOnlyList<string> Logins,
    IReadOnlyList<GrantTimeWindow> TimeWindows,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<string> SourceCidrs,
    TimeSpan? MaxSessionLength,
    bool PortForwardingAllowed,
    bool MfaRequired,
    Guid? AccessRequestId,
    string Actor,
    string? SourceAddress,
    string CorrelationId,
    Guid EventId,
    DateTimeOffset OccurredAt,
    IReadOnlyList<string>? ForwardingDestinations = null,
    IReadOnlyList<string>? RemoteForwardingPorts = null) : IAccessEvent;
