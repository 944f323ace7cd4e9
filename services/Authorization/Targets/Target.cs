using Gatehouse.Contracts;

namespace Gatehouse.Authorization.Targets;

/// <summary>A registered host, as the decision engine and the admin API see it (inline snapshot of the target stream).</summary>
public sealed record Target(
    Guid Id,
    string Name,
    string Address,
    int Port,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Logins,
    string? HostKey,
    string? HostKeyFingerprint,
    DateTimeOffset RegisteredAt,
    string RegisteredBy,
    bool Removed = false,
    bool TrustsGatehouseUserCa = false,
    IReadOnlyList<string>? HostCertificateAuthorities = null)
{
    public static Target Create(TargetRegistered registered) => new(
        registered.TargetId,
        registered.Name,
        registered.Address,
        registered.Port,
        registered.Labels,
        registered.Logins,
        registered.HostKey,
        registered.HostKey is null ? null : HostKeys.Parse(registered.HostKey)?.Fingerprint,
        registered.OccurredAt,
        registered.Actor,
        TrustsGatehouseUserCa: registered.TrustsGatehouseUserCa,
        HostCertificateAuthorities: registered.HostCertificateAuthorities);

    public Target Apply(TargetHostKeyPinned pinned) => this with { HostKey = pinned.HostKey, HostKeyFingerprint = pinned.Fingerprint };

    public Target Apply(TargetChanged changed) =>
        this with { Address = changed.Address, Port = changed.Port, Labels = changed.Labels, Logins = changed.Logins };

    public Target Apply(TargetRemoved removed) => this with { Removed = true };

    public bool HasLabels(IReadOnlyDictionary<string, string> selector) =>
        selector.All(label => Labels.TryGetValue(label.Key, out var value) && value == label.Value);
}
