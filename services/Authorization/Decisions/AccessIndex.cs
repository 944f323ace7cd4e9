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
    public static AccessIndex Empty { get; } = Build([], [], []);

    private static readonly Dictionary<string, UserStatus> NoDisabledUsers = [];

    private readonly Dictionary<string, Target> _targetsByName;
    private readonly Dictionary<string, Grant[]> _grantsByUser;
    private readonly Dictionary<string, Grant[]> _grantsByRole;
    private readonly Dictionary<string, UserStatus> _disabledUsers;
    private readonly Dictionary<string, Role[]> _rolesByMember;

    private AccessIndex(Dictionary<string, Target> targetsByName, Dictionary<string, Grant[]> grantsByUser,
        Dictionary<string, Grant[]> grantsByRole, IReadOnlyList<CommandPolicy> policies, int grantCount,
        Dictionary<string, UserStatus> disabledUsers, Dictionary<string, Role[]> rolesByMember)
    {
        _disabledUsers = disabledUsers;
        _rolesByMember = rolesByMember;
        _targetsByName = targetsByName;
        _grantsByUser = grantsByUser;
        _grantsByRole = grantsByRole;
        Policies = policies;
        GrantCount = grantCount;
    }

    public IReadOnlyList<CommandPolicy> Policies { get; }

    public int TargetCount => _targetsByName.Count;

    public int GrantCount { get; }

    public static AccessIndex Build(IEnumerable<Target> targets, IEnumerable<Grant> grants, IEnumerable<CommandPolicy> policies,
        IEnumerable<UserStatus>? users = null, IEnumerable<Role>? roles = null)
    {
        var grantList = grants.OrderBy(g => g.IssuedAt).ThenBy(g => g.Id).ToList();
        return new AccessIndex(
            targets.Where(t => !t.Removed).ToDictionary(t => t.Name, StringComparer.Ordinal),
            BySubject(grantList, GrantSubjectKind.User),
            BySubject(grantList, GrantSubjectKind.Role),
            policies.Where(p => !p.Removed).OrderBy(p => p.Name, StringComparer.Ordinal).ToList(),
            grantList.Count,
            users?.Where(u => u.Disabled).ToDictionary(u => u.Id, StringComparer.Ordinal) ?? NoDisabledUsers,
            (roles ?? []).SelectMany(r => r.Members.Select(m => (Member: m, Role: r)))
                .GroupBy(x => x.Member, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(x => x.Role).ToArray(), StringComparer.Ordinal));
    }

    /// <summary>The Authorization roles the user is a member of.</summary>
    public IReadOnlyList<Role> RolesOf(string userName) => _rolesByMember.GetValueOrDefault(userName) ?? [];

    /// <summary>The roles a decision uses: those the request vouches for, then the user's Authorization roles.</summary>
    public IReadOnlyList<string> EffectiveRoles(string userName, IReadOnlyList<string>? vouched) =>
        (vouched ?? []).Concat(RolesOf(userName).Select(r => r.Name)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The change that disabled or deleted the user, when the Authentication service reported one.</summary>
    public UserStatus? DisabledUser(string userName) => _disabledUsers.GetValueOrDefault(userName);

    public Target? FindTarget(string name) => _targetsByName.GetValueOrDefault(name);

    /// <summary>The user's own grants first, then those of each role, each in the order they were issued.</summary>
    public IEnumerable<Grant> GrantsFor(string userName, IReadOnlyList<string> roles)
    {
        if (_grantsByUser.TryGetValue(userName, out var own))
        {
            foreach (var grant in own)
            {
                yield return grant;
            }
        }

        foreach (var role in roles.Distinct(StringComparer.Ordinal))
        {
            if (_grantsByRole.TryGetValue(role, out var granted))
            {
                foreach (var grant in granted)
                {
                    yield return grant;
                }
            }
        }
    }

    private static Dictionary<string, Grant[]> BySubject(IEnumerable<Grant> grants, GrantSubjectKind kind) =>
        grants.Where(g => g.SubjectKind == kind)
            .GroupBy(g => g.Subject, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
}
