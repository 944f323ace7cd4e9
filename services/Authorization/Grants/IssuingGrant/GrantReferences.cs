using Gatehouse.ServiceDefaults.Http;
using Gatehouse.Authorization.Roles;
using Gatehouse.Authorization.Targets;
using Gatehouse.Contracts;
using Gatehouse.ServiceDefaults.Security;
using Marten;

namespace Gatehouse.Authorization.Grants.IssuingGrant;

/// <summary>
/// A grant may only name what exists: a mistyped target, login, access role, API role or user (asked of Authentication through
/// <see cref="Users.KnownUsers"/>) would otherwise lie dormant and come alive the day someone creates that name. Label
/// selectors are the exception, since they are meant for targets to come: one that matches nothing yet is accepted
/// with a warning.
/// </summary>
public static class GrantReferences
{
    /// <summary>What the grant names that this service knows (targets, their logins, access and API roles); the warnings are returned.</summary>
    public static IReadOnlyList<string> Check(GrantIssued grant, IReadOnlyList<Target> liveTargets, IReadOnlyCollection<string> definedRoles,
        InputErrors errors)
    {
        if (grant.SubjectKind == GrantSubjectKind.Role && !definedRoles.Contains(grant.Subject))
        {
            errors.Add("subject", GatehousePolicies.Roles.Contains(grant.Subject)
                ? $"there is no access role named '{grant.Subject}'; {grant.Subject} is an API role: to grant everyone holding it, "
                  + "give subjectKind ApiRole (gatehouse grants issue --api-role)"
                : $"there is no access role named '{grant.Subject}': define it first (gatehouse roles define)");
        }
        else if (grant.SubjectKind == GrantSubjectKind.ApiRole && !GatehousePolicies.Roles.Contains(grant.Subject))
        {
            errors.Add("subject", $"'{grant.Subject}' is not an API role: name one of {string.Join(", ", GatehousePolicies.Roles)}, "
                                  + "or grant an access role (subjectKind Role)");
        }

        var specificLogins = grant.Logins.Where(l => l != Grant.AnyLogin).ToList();
        if (grant.TargetNames.Count > 0)
        {
            var named = new List<Target>();
            foreach (var name in grant.TargetNames)
            {
                if (liveTargets.FirstOrDefault(t => t.Name == name) is { } target)
                {
                    named.Add(target);
                }
                else
                {
                    errors.Add("targetNames", $"there is no target named '{name}': register it first (gatehouse targets add), "
                                              + "or check the name (gatehouse targets list)");
                }
            }

            foreach (var login in specificLogins.Where(l => named.Count > 0 && !named.Any(t => t.Logins.Contains(l))))
            {
                errors.Add("logins", $"no target of the grant declares the login '{login}' ({Describe(named)}): add it to the target "
                                     + "first (gatehouse targets change), or correct the login");
            }

            return [];
        }

        var selector = string.Join(", ", grant.TargetLabels.Select(l => $"{l.Key}={l.Value}"));
        var matching = liveTargets.Where(t => t.HasLabels(grant.TargetLabels)).ToList();
        if (matching.Count == 0)
        {
            return [$"no target has the labels {selector} yet: the grant covers nothing until a target with them is registered "
                    + "(check the labels with gatehouse targets list)"];
        }

        return specificLogins.Where(l => !matching.Any(t => t.Logins.Contains(l)))
            .Select(l => $"no target with the labels {selector} declares the login '{l}' yet ({Describe(matching)}): "
                         + "the grant does not reach it until a target declares it")
            .ToList();
    }

    /// <summary>The targets and access roles a grant may name, read from the store rather than the index, which may lag another instance.</summary>
    public static async Task<(IReadOnlyList<Target> Targets, IReadOnlyCollection<string> Roles)> LoadAsync(IQuerySession session,
        CancellationToken cancellationToken)
    {
        var targets = await session.Query<Target>().Where(t => !t.Removed).ToListAsync(cancellationToken);
        return (targets, await RolesBeforeTheSplit.AccessRoleNamesAsync(session, cancellationToken));
    }

    private static string Describe(IEnumerable<Target> targets) =>
        string.Join("; ", targets.Take(5).Select(t => $"{t.Name} has {string.Join(", ", t.Logins)}"));
}
