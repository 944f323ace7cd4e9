using Gatehouse.Authorization.Targets;
using Gatehouse.Contracts;

namespace Gatehouse.Authorization.CommandPolicies;

/// <summary>A command policy as it stands now (inline snapshot of its stream); a removed policy keeps its name reserved.</summary>
/// <param name="Roles">The access roles whose members it applies to.</param>
/// <param name="ApiRoles">The API roles whose holders it applies to; null on a policy written before the two were told apart
/// (see <see cref="Roles.RolesBeforeTheSplit"/>).</param>
public sealed record CommandPolicy(
    Guid Id,
    string Name,
    string Pattern,
    CommandPatternKind PatternKind,
    CommandPolicyAction Action,
    IReadOnlyDictionary<string, string> TargetLabels,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string>? ApiRoles,
    bool Removed,
    DateTimeOffset ChangedAt,
    string ChangedBy)
{
    public static CommandPolicy Create(CommandPolicyChanged changed) => new(
        changed.PolicyId, changed.Name, changed.Pattern, changed.PatternKind, changed.Action, changed.TargetLabels,
        changed.Roles, changed.ApiRoles, false, changed.OccurredAt, changed.Actor);

    public CommandPolicy Apply(CommandPolicyChanged changed) => Create(changed);

    public CommandPolicy Apply(CommandPolicyRemoved removed) =>
        this with { Removed = true, ChangedAt = removed.OccurredAt, ChangedBy = removed.Actor };

    /// <summary>
    /// Applies to sessions on targets with every one of its labels, by members of any of its access roles or holders of any
    /// of its API roles (neither given: everyone).
    /// </summary>
    public bool AppliesTo(Target target, IReadOnlyCollection<string> accessRoles, IReadOnlyCollection<string> apiRoles)
    {
        var policyApiRoles = ApiRoles ?? [];
        return !Removed
               && target.HasLabels(TargetLabels)
               && ((Roles.Count == 0 && policyApiRoles.Count == 0) || Roles.Any(accessRoles.Contains) || policyApiRoles.Any(apiRoles.Contains));
    }
}
