using Gatehouse.Authorization.CommandPolicies;
using Gatehouse.Authorization.Grants;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Security;
using Marten;

namespace Gatehouse.Authorization.Roles;

/// <summary>
/// The one upgrade rule for what was stored before API roles and access roles were told apart, when a role name meant
/// either. A name that is a defined access role means that access role (its members only); a name that is not, but is an
/// API role, means that API role, as it could only have then; anything else stays an access role that nobody holds.
/// Applied when the index is built, so a decision only ever sees explicit kinds, and when grants and policies are listed,
/// so an operator sees what a decision sees.
/// </summary>
public static class RolesBeforeTheSplit
{
    /// <summary>A role grant read by the rule; user and API role grants are explicit already.</summary>
    public static Grant Upgrade(Grant grant, IReadOnlySet<string> accessRoles) =>
        grant.SubjectKind == GrantSubjectKind.Role && IsApiRole(grant.Subject, accessRoles)
            ? grant with { SubjectKind = GrantSubjectKind.ApiRole }
            : grant;

    /// <summary>A policy written with one role list (no API role list) split by the rule; a policy written since is explicit.</summary>
    public static CommandPolicy Upgrade(CommandPolicy policy, IReadOnlySet<string> accessRoles) =>
        policy.ApiRoles is not null
            ? policy
            : policy with
            {
                Roles = policy.Roles.Where(r => !IsApiRole(r, accessRoles)).ToList(),
                ApiRoles = policy.Roles.Where(r => IsApiRole(r, accessRoles)).ToList(),
            };

    /// <summary>The names of the access roles defined now: what the rule reads by, and what grants and policies may name.</summary>
    public static async Task<IReadOnlySet<string>> AccessRoleNamesAsync(IQuerySession session, CancellationToken cancellationToken) =>
        (await session.Query<Role>().Select(r => r.Name).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

    private static bool IsApiRole(string name, IReadOnlySet<string> accessRoles) =>
        !accessRoles.Contains(name) && GatehousePolicies.Roles.Contains(name);
}
