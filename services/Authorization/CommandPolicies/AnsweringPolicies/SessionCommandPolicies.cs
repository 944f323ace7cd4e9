using Gatehouse.Authorization.Decisions;
using Gatehouse.Authorization.Targets;
using Gatehouse.Contracts.Authorization;
using Gatehouse.Vocabulary;

namespace Gatehouse.Authorization.CommandPolicies.AnsweringPolicies;

public static class SessionCommandPolicies
{
    /// <summary>The policies that apply to this user's session on this target; none for an unknown target.</summary>
    public static CommandPoliciesForSession For(GetCommandPolicies request, AccessIndex index)
    {
        var target = index.FindTarget(TargetNames.Normalise(request.Target));
        var user = request.UserName ?? "";
        var accessRoles = index.AccessRolesOf(user).Select(r => r.Name).ToList();
        var apiRoles = request.ApiRoles ?? [];
        var policies = target is null
            ? []
            : index.Policies
                .Where(p => p.AppliesTo(target, accessRoles, apiRoles))
                .Select(p => new SessionCommandPolicy(p.Id, p.Name, p.Pattern, p.PatternKind,
                    CommandPatterns.ToRegex(p.Pattern, p.PatternKind), p.Action))
                .ToList();
        return new CommandPoliciesForSession(user, target?.Name ?? request.Target, policies);
    }
}
