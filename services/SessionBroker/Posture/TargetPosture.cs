using Gatehouse.Contracts;
using Gatehouse.Vocabulary;

namespace Gatehouse.SessionBroker.Posture;

/// <summary>What the gateway last knew of a target's SSH server and posture, kept as an inline snapshot of its stream.</summary>
public sealed record TargetPosture(
    Guid Id,
    string Target,
    string? TargetAddress,
    TargetSshServer? Server,
    IReadOnlyList<PostureFinding> Findings,
    DateOnly? VulnerabilityTableDate,
    DateTimeOffset? ChangedAt,
    DateTimeOffset? OverrideUntil,
    string? OverrideReason,
    string? OverriddenBy)
{
    /// <summary>Each target has one posture stream, whose id follows from its name.</summary>
    public static Guid StreamId(string target) => DerivedIds.From("target-posture", target);

    public bool IsVulnerable => Findings.Any(f => f.Vulnerability);

    public static TargetPosture Create(TargetSshInventoryChanged changed) =>
        Empty(changed.Target).Apply(changed);

    public static TargetPosture Create(TargetPostureOverridden overridden) =>
        Empty(overridden.Target).Apply(overridden);

    private static TargetPosture Empty(string target) => new(StreamId(target), target, null, null, [], null, null, null, null, null);

    public TargetPosture Apply(TargetSshInventoryChanged changed) => this with
    {
        TargetAddress = changed.TargetAddress, Server = changed.Server, Findings = changed.Findings,
        VulnerabilityTableDate = changed.VulnerabilityTableDate, ChangedAt = changed.OccurredAt,
    };

    public TargetPosture Apply(TargetPostureOverridden overridden) => this with
    {
        OverrideUntil = overridden.Until, OverrideReason = overridden.Reason, OverriddenBy = overridden.Actor,
    };
}
