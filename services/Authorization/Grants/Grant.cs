using Gatehouse.Contracts;

namespace Gatehouse.Authorization.Grants;

/// <summary>A grant as it stands now (inline snapshot of the grant stream); revoked grants stay, so a denial can say so.</summary>
public sealed record Grant(
    Guid Id,
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
    DateTimeOffset IssuedAt,
    string IssuedBy,
    DateTimeOffset? RevokedAt = null,
    string? RevokedBy = null,
    string? RevocationReason = null,
    IReadOnlyList<string>? ForwardingDestinations = null,
    IReadOnlyList<string>? RemoteForwardingPorts = null)
{
    public const string AnyLogin = "*";

    public static Grant Create(GrantIssued issued) => new(
        issued.GrantId,
        issued.SubjectKind,
        issued.Subject,
        issued.TargetNames,
        issued.TargetLabels,
        issued.Logins,
        issued.TimeWindows,
        issued.ExpiresAt,
        issued.SourceCidrs,
        issued.MaxSessionLength,
        issued.PortForwardingAllowed,
        issued.MfaRequired,
        issued.AccessRequestId,
        issued.OccurredAt,
        issued.Actor,
        ForwardingDestinations: issued.ForwardingDestinations ?? [],
        RemoteForwardingPorts: issued.RemoteForwardingPorts ?? []);

    public Grant Apply(GrantRevoked revoked) =>
        this with { RevokedAt = revoked.OccurredAt, RevokedBy = revoked.Actor, RevocationReason = revoked.Reason };

    public bool IsRevoked => RevokedAt is not null;

    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } expiry && now >= expiry;

    public bool AllowsLogin(string login) => Logins.Contains(AnyLogin) || Logins.Contains(login);

    public string Describe() => $"grant {Id} to {DescribeSubject(SubjectKind, Subject)}";

    /// <summary>How an operator reads a grant's subject: "user kim", "access role dba", "API role admin".</summary>
    public static string DescribeSubject(GrantSubjectKind kind, string subject) => kind switch
    {
        GrantSubjectKind.Role => $"access role {subject}",
        GrantSubjectKind.ApiRole => $"API role {subject}",
        _ => $"{kind.ToString().ToLowerInvariant()} {subject}",
    };
}
