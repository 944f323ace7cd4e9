using Gatehouse.Authorization.CommandPolicies;
using Gatehouse.Authorization.Grants;
using Gatehouse.Authorization.Roles;
using Gatehouse.Authorization.Targets;
using Gatehouse.Authorization.Users;
using Gatehouse.Contracts;

namespace Gatehouse.Authorization.Decisions;

/// <summary>
/// An immutable in-memory view of every target, grant and command policy, looked up by target name and by grant subject,
/// so a decision needs no database query. Replaced as a whole when something changes.
/// </summary>
public sealed class AccessIndex
{
    // Declared before Empty, which is built with it.
    private static readonly Dictionary<string, UserStatus> NoDisabledUsers = [];

    public static AccessIndex Empty { get; } = Build([], [], []);

    private readonly Dictionary<string, Target> _targetsByName;
    private readonly Dictionary<string, Grant[]> _grantsByUser;
    private readonly Dictionary<string, Grant[]> _grantsByAccessRole;
    private readonly Dictionary<string, Grant[]> _grantsByApiRole;
    private readonly Dictionary<string, UserStatus> _disabledUsers;
    private readonly Dictionary<string, Role[]> _accessRolesByMember;

    private AccessIndex(Dictionary<string, Target> targetsByName, IReadOnlyList<Grant> grants, IReadOnlyList<CommandPolicy> policies,
        Dictionary<string, UserStatus> disabledUsers, Dictionary<string, Role[]> accessRolesByMember)
    {
        _disabledUsers = disabledUsers;
        _accessRolesByMember = accessRolesByMember;
        _targetsByName = targetsByName;
        _grantsByUser = BySubject(grants, GrantSubjectKind.User);
        _grantsByAccessRole = BySubject(grants, GrantSubjectKind.Role);
        _grantsByApiRole = BySubject(grants, GrantSubjectKind.ApiRole);
        Policies = policies;
        GrantCount = grants.Count;
    }

    /// <summary>The live command policies, each with its access roles and API roles told apart.</summary>
    public IReadOnlyList<CommandPolicy> Policies { get; }

    public int TargetCount => _targetsByName.Count;

    public int GrantCount { get; }

    public static AccessIndex Build(IEnumerable<Target> targets, IEnumerable<Grant> grants, IEnumerable<CommandPolicy> policies,
        IEnumerable<UserStatus>? users = null, IEnumerable<Role>? roles = null)
    {
        var accessRoles = (roles ?? []).ToList();
        var accessRoleNames = accessRoles.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        return new AccessIndex(
            targets.Where(t => !t.Removed).ToDictionary(t => t.Name, StringComparer.Ordinal),
            grants.Select(g => RolesBeforeTheSplit.Upgrade(g, accessRoleNames)).OrderBy(g => g.IssuedAt).ThenBy(g => g.Id).ToList(),
            policies.Where(p => !p.Removed).Select(p => RolesBeforeTheSplit.Upgrade(p, accessRoleNames))
                .OrderBy(p => p.Name, StringComparer.Ordinal).ToList(),
            users?.Where(u => u.Disabled).ToDictionary(u => u.Id, StringComparer.Ordinal) ?? NoDisabledUsers,
            accessRoles.SelectMany(r => r.Members.Select(m => (Member: m, Role: r)))
                .GroupBy(x => x.Member, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(x => x.Role).ToArray(), StringComparer.Ordinal));
    }

    /// <summary>The access roles (Authorization's own) the user is a member of.</summary>
    public IReadOnlyList<Role> AccessRolesOf(string userName) => _accessRolesByMember.GetValueOrDefault(userName) ?? [];

    /// <summary>The change that disabled or deleted the user, when the Authentication service reported one.</summary>
    public UserStatus? DisabledUser(string userName) => _disabledUsers.GetValueOrDefault(userName);

    public Target? FindTarget(string name) => _targetsByName.GetValueOrDefault(name);

    /// <summary>
    /// The user's own grants first, then those of each access role the user is a member of, then those naming one of the
    /// API roles the request vouches for; each in the order they were issued.
    /// </summary>
    public IEnumerable<Grant> GrantsFor(string userName, IReadOnlyList<string> apiRoles) =>
        Granted(_grantsByUser, [userName])
            .Concat(Granted(_grantsByAccessRole, AccessRolesOf(userName).Select(r => r.Name)))
            .Concat(Granted(_grantsByApiRole, apiRoles));

    private static IEnumerable<Grant> Granted(Dictionary<string, Grant[]> bySubject, IEnumerable<string> subjects) =>
        subjects.Distinct(StringComparer.Ordinal).SelectMany(s => bySubject.GetValueOrDefault(s) ?? []);

    private static Dictionary<string, Grant[]> BySubject(IEnumerable<Grant> grants, GrantSubjectKind kind) =>
        grants.Where(g => g.SubjectKind == kind)
            .GroupBy(g => g.Subject, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
}
