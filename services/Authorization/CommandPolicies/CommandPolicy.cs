using Gatehouse.Authorization.Targets;
using Gatehouse.Contracts;

namespace Gatehouse.Authorization.CommandPolicies;

/// <summary>A command policy as it stands now (inline snapshot of its stream); a removed policy keeps its name reserved.</summary>
public sealed record CommandPolicy(
    Guid Id,
    string Name,
    string Pattern,
    CommandPatternKind PatternKind,
    CommandPolicyAction Action,
    IReadOnlyDictionary<string, string> TargetLabels,
    IReadOnlyList<string> Roles,
    bool Removed,
    DateTimeOffset ChangedAt,
    string ChangedBy)
{
    public static CommandPolicy Create(CommandPolicyChanged changed) => new(
        changed.PolicyId, changed.Name, changed.Pattern, changed.PatternKind, changed.Action, changed.TargetLabels,
        changed.Roles, false, changed.OccurredAt, changed.Actor);

    public CommandPolicy Apply(CommandPolicyChanged changed) => Create(changed);

    public CommandPolicy Apply(CommandPolicyRemoved removed) =>
        this with { Removed = true, ChangedAt = removed.OccurredAt, ChangedBy = removed.Actor };

    /// <summary>Applies to sessions on targets with every one of its labels, by users holding any of its roles (empty: no restriction).</summary>
    public bool AppliesTo(Target target, IReadOnlyList<string> roles) =>
        !Removed
        && target.HasLabels(TargetLabels)
        && (Roles.Count == 0 || Roles.Any(roles.Contains));
}
